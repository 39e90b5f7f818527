"""Named predicates about schools and territories; each docstring states the business rule.

The three answers an app needs, each one call: the schools a user reads
(`School.objects.for_user`, or `can_read_school` for one school), the territory a user follows
(`follows_territory`, `follows_academy`, `follows_department` and the `Academy`/`Department`
querysets' `for_user`), and whether a user writes a school's work (`can_write_school`).
"""

from pilotis.core.roles import SchoolRole
from pilotis.core.scope import scope_of

# Who writes a school's work (its self-assessment today): its direction and its RUPN. The rest of
# the team and the territory read it.
SCHOOL_WRITERS = frozenset({SchoolRole.CHEF, SchoolRole.ADJOINT, SchoolRole.RUPN})


def school_role(user, school) -> str | None:
    """The user's role in this school, if they are one of its members."""
    return scope_of(user).school_roles.get(school.pk)


def is_direction(user, school) -> bool:
    """The chef d'établissement and the adjoints form the school's direction."""
    return school_role(user, school) in SchoolRole.direction()


def can_read_school(user, school) -> bool:
    """Members of a school and whoever follows its département (its correspondent, the DANE of its
    académie, the administrator) read it: `Scope.covers`, the rule of `School.objects.for_user`."""
    return scope_of(user).covers(school.pk, school.department_id, school.department.academy_id)


def can_write_school(user, school) -> bool:
    """The school's direction and its RUPN write its work (`SCHOOL_WRITERS`); its team and its
    territory read it."""
    return school_role(user, school) in SCHOOL_WRITERS


def can_manage_members(user, school) -> bool:
    """Only the school's direction invites, changes and removes its members."""
    return is_direction(user, school)


def follows_territory(user) -> bool:
    """The correspondents, the DANE and the administrator follow the schools of their territory:
    they browse its schools, steer its campaigns and read its network of referents."""
    return scope_of(user).is_territorial


def follows_academy(user, academy_id) -> bool:
    """The DANE of an académie and the administrator follow the whole académie: they see its
    personal figures (the IMP), its campaigns' figures as a whole, and extend its catalogue."""
    return scope_of(user).follows_academy(academy_id)


def follows_department(user, department) -> bool:
    """The département's correspondent, the DANE of its académie and the administrator follow it."""
    return scope_of(user).follows_department(department.pk, department.academy_id)


def is_dane(user) -> bool:
    """The DANE (of at least one académie) and the administrator manage their académies: they open
    and close its campaigns, appoint its correspondents and DANE members, extend its catalogue
    (`Academy.objects.led_by` says which académies)."""
    return scope_of(user).leads_academy


def school_abilities(user, school) -> dict[str, bool]:
    """One source for views and templates: `{% if abilities.manage_members %}`."""
    readable = can_read_school(user, school)
    return {
        "read": readable,
        "see_members": readable,
        "manage_members": readable and can_manage_members(user, school),
    }
