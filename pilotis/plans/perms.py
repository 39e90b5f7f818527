"""Named predicates of the action plan; each docstring states the rule."""

from pilotis.territories.perms import can_read_school, can_write_school, is_direction


def can_read_plan(user, school) -> bool:
    """Whoever reads the school reads its plan: its team, its correspondent, the DANE of its académie."""
    return can_read_school(user, school)


def can_write_plan(user, school) -> bool:
    """The RUPN and the direction write the plan: objectives, actions, their statuses."""
    return can_write_school(user, school)


def can_adopt_plan(user, school) -> bool:
    """Only the direction adopts the plan (« Valider le plan »)."""
    return is_direction(user, school)


def is_responsible(user, action) -> bool:
    """The member of the team named responsible for the action."""
    return action.responsible_id is not None and action.responsible_id == getattr(user, "pk", None)


def can_update_status(user, action) -> bool:
    """The plan's writers, and the team member named responsible for this action, change its status
    with a note; a responsible member changes nothing else of it."""
    return can_write_plan(user, action.school) or (
        is_responsible(user, action) and can_read_school(user, action.school)
    )
