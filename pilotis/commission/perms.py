"""Named predicates of the commission numérique; each docstring states the rule."""

from pilotis.territories.perms import can_read_school, can_write_school, is_direction


def can_read_commission(user, school) -> bool:
    """Whoever reads the school reads its commission: members, meetings, their minutes."""
    return can_read_school(user, school)


def can_run_commission(user, school) -> bool:
    """The RUPN and the direction run the commission: members, meetings, convocations, minutes."""
    return can_write_school(user, school)


def can_validate_minutes(user, school) -> bool:
    """Only the direction validates the minutes (« Valider le compte rendu ») and reopens them."""
    return is_direction(user, school)


def commission_abilities(user, school) -> dict:
    return {"run": can_run_commission(user, school), "validate": can_validate_minutes(user, school)}
