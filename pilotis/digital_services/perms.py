"""Named predicates of the register of digital services; each docstring states the rule."""

from pilotis.territories.perms import can_write_school, school_role


def can_read_services(user, school) -> bool:
    """The school's members read its register (who administers what is the school's own business):
    the territory does not see it."""
    return school_role(user, school) is not None


def can_write_services(user, school) -> bool:
    """The RUPN and the direction keep the register: add, change, delete a service."""
    return can_write_school(user, school)


def services_abilities(user, school) -> dict[str, bool]:
    """What the register's pages offer this user, in one dict for views and templates."""
    return {"read": can_read_services(user, school), "write": can_write_services(user, school)}
