"""What the apps above `territories` show on a school's page.

The school's page (`territories.views.school_detail`) is the home of its direction, RUPN and team:
it should say where the year's self-assessment and the RUPN's mission stand. Those live in
`assessments` and `missions`, above `territories`, which may not import them. So each app
registers a panel here when it is ready (`<app>/panels.py`, imported by its AppConfig.ready), as
`core.personal_data` does for the person's data, and the page asks them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    """A block of the school's page: its template (given `panel`), and what the template reads."""

    template: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Provider:
    order: int
    build: Callable  # (request, school) -> Panel | None


_PROVIDERS: dict[str, _Provider] = {}


def school_panel(key: str, order: int):
    """Registers `build(request, school) -> Panel | None` (None: nothing to show this user). The
    page has already checked that the user may read the school; each panel checks the rest."""

    def register(build):
        _PROVIDERS[key] = _Provider(order, build)
        return build

    return register


def panels_for(request, school) -> list[Panel]:
    providers = sorted(_PROVIDERS.values(), key=lambda provider: provider.order)
    return [panel for provider in providers if (panel := provider.build(request, school)) is not None]
