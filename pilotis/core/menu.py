"""What the apps above `accounts` add to the main menu.

The menu is built by `accounts.context_processors`, which may not import the apps built on it; an
app whose entry depends on its own rule (who reads the académie's news) registers it here
(`<app>/menu.py`, imported by its AppConfig.ready), as the school's page gathers its panels
(`core.panels`). An entry that only needs the user's school or scope is written in the menu
itself: naming a URL is navigation, not a dependency."""

from collections.abc import Callable
from dataclasses import dataclass

_ENTRIES: dict[str, dict[str, "_Entry"]] = {}


@dataclass(frozen=True)
class _Entry:
    order: int
    build: Callable  # (request) -> (label, url) | None


def menu_entry(group: str, key: str, order: int):
    """Registers `build(request) -> (label, url) | None` in the menu's group `group` (its id:
    "academie", "territoire"…); None: nothing for this user."""

    def register(build):
        _ENTRIES.setdefault(group, {})[key] = _Entry(order, build)
        return build

    return register


def entries_for(request, group: str) -> list[tuple[str, str]]:
    entries = sorted(_ENTRIES.get(group, {}).values(), key=lambda entry: entry.order)
    return [item for entry in entries if (item := entry.build(request)) is not None]
