"""Named predicates of the API; each docstring states the rule."""

from pilotis.core.scope import scope_of


def can_use_api(user) -> bool:
    """Whoever reads something in Pilotis (a school's member, a territorial role, the administrator)
    may hold tokens; an account without any role reads nothing, through the API as on the pages."""
    return bool(getattr(user, "is_active", False)) and not scope_of(user).is_empty
