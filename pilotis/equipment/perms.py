"""Named predicates of the equipment needs; each docstring states the rule."""

from pilotis.core.scope import scope_of
from pilotis.territories.perms import can_read_school, can_write_school, follows_territory, is_dane, is_direction


def can_read_needs(user, school) -> bool:
    """Whoever reads the school reads its needs: its team, its correspondent, its DANE."""
    return can_read_school(user, school)


def can_write_needs(user, school) -> bool:
    """The RUPN and the direction record the needs, change their state and delete them."""
    return can_write_school(user, school)


def can_rank_needs(user, school) -> bool:
    """The direction ranks the needs (they become « Priorisé ») and sends the request to the
    collectivité: it is the school's word to its funder."""
    return is_direction(user, school)


def can_follow_needs(user) -> bool:
    """The correspondents (their départements), the DANE (its académie) and the administrator read
    the territory's needs, counted."""
    return follows_territory(user)


def can_read_collectivities(user) -> bool:
    """The territory's people read the collectivités' addresses (the correspondents to tell the
    schools where their request goes)."""
    return follows_territory(user)


def can_manage_collectivities(user, academy_id=None) -> bool:
    """The DANE sets the addresses of its académie's collectivités (the administrator: all)."""
    if academy_id is None:
        return is_dane(user)
    return scope_of(user).follows_academy(academy_id)


def need_abilities(user, school) -> dict[str, bool]:
    """What the needs' pages offer this user, in one dict for views and templates."""
    write = can_write_needs(user, school)
    return {"write": write, "rank": can_rank_needs(user, school)}
