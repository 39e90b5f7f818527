"""Named predicates of the usage fiches; each docstring states the rule. The fiches a user reads,
as a queryset, are `Fiche.objects.for_user`; `can_read_fiche` says the same of one fiche."""

from django.utils.translation import gettext as _

from pilotis.core.scope import scope_of
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.territories.models import Academy
from pilotis.territories.perms import can_write_school, school_role


def is_member(user, school) -> bool:
    return school_role(user, school) is not None


def in_catalogue(fiche) -> bool:
    return (
        fiche.state == FicheState.PUBLISHED and fiche.visibility == Visibility.ACADEMY and fiche.taken_down_at is None
    )


def can_read_fiche(user, fiche) -> bool:
    """Its school's members read every fiche of the school, drafts included; the users of its
    académie read it once it is in the catalogue (published, shared with the académie, not taken
    down). Nobody else: the territory reads no draft."""
    scope = scope_of(user)
    if scope.everything or fiche.school_id in scope.school_ids:
        return True
    return in_catalogue(fiche) and Academy.objects.belonged_to(user).filter(pk=fiche.academy_id).exists()


def is_author(user, fiche) -> bool:
    return any(author.user_id == getattr(user, "pk", None) for author in fiche.authors.all())


def can_write_fiches(user, school) -> bool:
    """Every member of the school writes fiches: a teacher tells what they did with their class."""
    return is_member(user, school)


def can_edit_fiche(user, fiche) -> bool:
    """A fiche is changed by its authors and by the school's RUPN and direction."""
    return can_write_school(user, fiche.school) or (is_member(user, fiche.school) and is_author(user, fiche))


def can_publish_fiche(user, fiche) -> bool:
    """The school's RUPN and direction publish a fiche (to the school or to the académie), and take
    it back to draft."""
    return can_write_school(user, fiche.school)


def can_see_author_names(user, fiche) -> bool:
    """An author who did not agree to be named is named only to the school's members."""
    return is_member(user, fiche.school)


def can_curate_catalogue(user, academy_id) -> bool:
    """The DANE of the académie (and the administrator) put fiches forward in its catalogue and
    take them down, with a reason told to their authors."""
    return scope_of(user).follows_academy(academy_id)


def can_delete_fiche(user, fiche) -> bool:
    """A draft is deleted by whoever may change it (its authors, the RUPN, the direction); a
    published fiche is taken back to draft first."""
    return fiche.state == FicheState.DRAFT and can_edit_fiche(user, fiche)


def fiche_abilities(user, fiche) -> dict:
    """What the fiche's page offers this user (the services check again). Reads the fiche's
    prefetched authors."""
    mine = next((a for a in fiche.authors.all() if a.user_id == getattr(user, "pk", None)), None)
    member = is_member(user, fiche.school)
    return {
        "edit": can_edit_fiche(user, fiche),
        "publish": can_publish_fiche(user, fiche),
        "delete": can_delete_fiche(user, fiche),
        "consent": member and mine is not None,
        "named": bool(mine and mine.named),
        "school_reader": member,
    }


def authors_shown(user, fiche) -> list[str]:
    """The fiche's authors as this reader may see them: by name to the school's members, and to
    anyone else only those who agreed to be named — the others are « Un membre de l'équipe »
    (said once for all of them). Reads the prefetched authors and their users."""
    authors = list(fiche.authors.all())
    if can_see_author_names(user, fiche):
        return [str(author.user) for author in authors]
    named = [str(author.user) for author in authors if author.named]
    hidden = len(authors) - len(named)
    if hidden == 1:
        named.append(_("Un membre de l'équipe"))
    elif hidden > 1:
        named.append(_("%(n)d membres de l'équipe") % {"n": hidden})
    return named
