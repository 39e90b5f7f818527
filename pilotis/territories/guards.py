"""View guards named `school:<ability>`: the school comes from the URL's UAI, within the user's scope."""

from functools import wraps

from pilotis.core.guards import refuse
from pilotis.core.scope import scope_of
from pilotis.territories.lookup import school_by_uai
from pilotis.territories.perms import school_abilities


def school_view(ability: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, uai, *args, **kwargs):
            # The rule of School.objects.for_user, checked on the school once read: one statement
            # written once instead of a compiled query on every school page (territories.lookup).
            school = school_by_uai(uai)
            if school is None or not scope_of(request.user).covers(
                school.pk, school.department_id, school.department.academy_id
            ):
                refuse(request, what=f"school:{ability} {uai[:8]}")
            abilities = school_abilities(request.user, school)
            if not abilities.get(ability):
                refuse(request, obj=school, what=f"school:{ability}", status=403)
            request.school = school
            request.abilities = abilities
            return view(request, school, *args, **kwargs)

        wrapper.guard = f"school:{ability}"
        return wrapper

    return decorator
