"""View guards of the RUPN's mission, named `mission:`, `letter:` and `catalogue:<action>`.

The direction's moves (`school_action(name, can_manage_mission)`) are refused (403) before the
letter is read; the RUPN's (`letter_action`) once the letter is read, since they are the RUPN of
that letter: a letter the user may not read does not exist for them (404).
"""

from functools import wraps

from pilotis.core.guards import get_or_refuse, name_guard, refuse
from pilotis.missions.models import CatalogueEntry, MissionLetter
from pilotis.missions.perms import can_read_letter
from pilotis.territories.guards import school_view
from pilotis.territories.perms import follows_academy


def letter_in_scope(request, school, pk):
    """The school's letter, if this user may read it; otherwise it does not exist for them."""
    letter = get_or_refuse(
        request,
        MissionLetter.objects.filter(school=school).select_related(
            "designation__user", "designation__school__department", "school__department__academy"
        ),
        what="letter",
        pk=pk,
    )
    if not can_read_letter(request.user, letter):
        refuse(request, obj=school, what="letter")
    return letter


def letter_action(name: str, predicate):
    """Guard `name` on a move of one letter: the school within the user's scope and the letter
    readable by them (404), then `predicate(user, letter)` (403)."""

    def decorator(view):
        @school_view("read", guard=name)
        @wraps(view)
        def wrapper(request, school, pk, *args, **kwargs):
            if not predicate(request.user, letter_in_scope(request, school, pk)):
                refuse(request, obj=school, what=name, status=403)
            return view(request, school, pk, *args, **kwargs)

        return wrapper

    return decorator


def catalogue_entry_action(name: str):
    """Guard `name` on one entry of the catalogue: the entry among those the user reads (404),
    then an entry of an académie they follow as its DANE (403); the entry is the view's argument."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk):
            entry = get_or_refuse(request, CatalogueEntry.objects.for_user(request.user), what="catalogue_entry", pk=pk)
            if entry.academy_id is None or not follows_academy(request.user, entry.academy_id):
                refuse(request, obj=entry, what=name, status=403)
            return view(request, entry)

        return name_guard(wrapper, name)

    return decorator
