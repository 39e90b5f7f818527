"""Named predicates of the demandes d'assistance; each docstring states the rule."""

from pilotis.territories.perms import can_read_school, can_write_school, follows_academy, follows_territory, is_dane


def can_read_requests(user, school) -> bool:
    """Whoever reads the school reads its requests: its team, its correspondent, its DANE."""
    return can_read_school(user, school)


def can_write_requests(user, school) -> bool:
    """The RUPN and the direction write, attach to and send the school's requests (they speak for
    the school to the assistance)."""
    return can_write_school(user, school)


def reads_routing(user) -> bool:
    """The territory (correspondents, DANE, administrator) reads its académies' channels and routing."""
    return follows_territory(user)


def manages_routing(user) -> bool:
    """The DANE sets its académie's channels and routing table (`Academy.objects.led_by`)."""
    return is_dane(user)


def manages_academy_routing(user, academy) -> bool:
    """The DANE of this académie (or the administrator)."""
    return follows_academy(user, academy.pk)


def request_abilities(user, school) -> dict[str, bool]:
    """What the requests' pages offer this user, in one dict for views and templates."""
    return {"write": can_write_requests(user, school)}
