"""Named predicates about schools; each docstring states the business rule."""

from pilotis.core.roles import SchoolRole
from pilotis.core.scope import scope_of


def school_role(user, school) -> str | None:
    """The user's role in this school, if they are one of its members."""
    return scope_of(user).school_roles.get(school.pk)


def is_direction(user, school) -> bool:
    """The chef d'établissement and the adjoints form the school's direction."""
    return school_role(user, school) in SchoolRole.direction()


def can_read_school(user, school) -> bool:
    """Members of a school and the correspondents / DANE of its territory read it."""
    scope = scope_of(user)
    return (
        scope.everything
        or school.pk in scope.school_roles
        or school.department_id in scope.department_ids
        or school.department.academy_id in scope.academy_ids
    )


def can_manage_members(user, school) -> bool:
    """Only the school's direction invites, changes and removes its members."""
    return is_direction(user, school)


def can_browse_territory(user) -> bool:
    """Correspondents, the DANE and the administrator browse the schools of their territory."""
    return scope_of(user).is_territorial


def school_abilities(user, school) -> dict[str, bool]:
    """One source for views and templates: `{% if abilities.manage_members %}`."""
    readable = can_read_school(user, school)
    return {
        "read": readable,
        "see_members": readable,
        "manage_members": readable and can_manage_members(user, school),
    }
