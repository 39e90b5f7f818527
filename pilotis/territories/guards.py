"""View guards on a school's pages: the school comes from the URL's UAI, within the user's scope
(404 otherwise), then the ability the view needs (403 otherwise)."""

from functools import wraps

from pilotis.core.guards import name_guard, refuse
from pilotis.core.scope import scope_of
from pilotis.territories.lookup import school_by_uai
from pilotis.territories.perms import school_abilities


def _school_in_scope(request, uai, guard):
    # The rule of School.objects.for_user, checked on the school once read: one statement
    # written once instead of a compiled query on every school page (territories.lookup).
    school = school_by_uai(uai)
    if school is None or not scope_of(request.user).covers(
        school.pk, school.department_id, school.department.academy_id
    ):
        refuse(request, what=f"{guard} {uai[:8]}")
    return school


def school_view(ability: str, guard: str = ""):
    """Guard `school:<ability>` (or `guard`) on one of `school_abilities`; puts `request.school`
    and `request.abilities` on the request."""
    name = guard or f"school:{ability}"

    def decorator(view):
        @wraps(view)
        def wrapper(request, uai, *args, **kwargs):
            school = _school_in_scope(request, uai, name)
            abilities = school_abilities(request.user, school)
            if not abilities.get(ability):
                refuse(request, obj=school, what=name, status=403)
            request.school = school
            request.abilities = abilities
            return view(request, school, *args, **kwargs)

        return name_guard(wrapper, name)

    return decorator


def school_action(name: str, predicate, *, found=None):
    """Guard `name` on a school's page that acts: the school within the user's scope (404), then
    `predicate(user, school)` (403). `found(request, school, *args, **kwargs)`, when given, is
    called before a 403 and refuses with a 404 what the URL names and does not exist (a missing
    year, indicator): what is missing is said before what is forbidden. The object's state
    (validated, campaign closed) is the service's to check, and the page says so."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, uai, *args, **kwargs):
            school = _school_in_scope(request, uai, name)
            if not predicate(request.user, school):
                if found is not None:
                    found(request, school, *args, **kwargs)
                refuse(request, obj=school, what=name, status=403)
            request.school = school
            request.abilities = school_abilities(request.user, school)
            return view(request, school, *args, **kwargs)

        return name_guard(wrapper, name)

    return decorator
