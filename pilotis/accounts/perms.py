"""Named predicates about people and roles; school abilities live in territories.perms."""

from pilotis.core.scope import scope_of


def can_manage_territory_roles(user) -> bool:
    """The DANE of an académie (and the administrator) appoint its correspondents and DANE members."""
    scope = scope_of(user)
    return scope.everything or bool(scope.academy_ids)
