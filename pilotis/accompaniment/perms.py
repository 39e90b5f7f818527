"""Named predicates of the accompaniment log; each docstring states the rule.

The log is the territory team's own record: whoever follows the school's département keeps it and
reads all of it. The school's direction and RUPN read, on the school's pages, only the entries the
team marked « partagé avec l'établissement »; the rest of the team sees nothing of it."""

from pilotis.territories.perms import can_write_school, follows_department


def can_keep_log(user, school) -> bool:
    """Whoever follows the school's département (its correspondent, the DANE of its académie, the
    administrator) writes and reads every entry of the school's log."""
    return follows_department(user, school.department)


def can_read_shared(user, school) -> bool:
    """The school's direction and RUPN read the entries shared with the school; the territory team,
    which wrote them, reads them too. A member of the team reads none."""
    return can_keep_log(user, school) or can_write_school(user, school)


def log_abilities(user, school) -> dict[str, bool]:
    """One source for the templates: `{% if log.keep %}`."""
    keep = can_keep_log(user, school)
    return {"keep": keep, "read_shared": keep or can_write_school(user, school)}
