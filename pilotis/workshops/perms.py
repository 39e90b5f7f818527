"""Named predicates of the workshops and trainings; each docstring states the rule."""

from pilotis.territories.perms import can_read_school, can_write_school


def can_read_workshops(user, school) -> bool:
    """Whoever reads the school reads its workshops: its team, its correspondent, its DANE."""
    return can_read_school(user, school)


def can_write_workshops(user, school) -> bool:
    """The RUPN and the direction record the school's workshops and print their attendance sheets."""
    return can_write_school(user, school)


def workshop_abilities(user, school) -> dict[str, bool]:
    """What the workshops' pages offer this user, in one dict for views and templates."""
    return {"write": can_write_workshops(user, school)}
