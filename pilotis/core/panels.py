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


# What the apps above `assessments` know beside a school's answers. The self-assessment's page and
# its synthesis live in `assessments`, which may not import the apps built on it (the plan, the
# commission): they register here, and the pages ask. They inform; they never answer for the school.


@dataclass(frozen=True)
class IndicatorNote:
    """A line shown under an indicator: what Pilotis knows beside the answer (« 2 réunions cette
    année, dont 1 avec des parents et des élèves »), with links (label, url) to where it is said."""

    text: str
    links: tuple = ()


_INDICATOR_NOTES: dict[str, _Provider] = {}


def indicator_notes(key: str, order: int):
    """Registers `build(request, school, campaign, indicators) -> dict[code, list[IndicatorNote]]`,
    called once per page for all the indicators it shows (so that its queries do not grow with
    them). The page has checked that the user reads the school."""

    def register(build):
        _INDICATOR_NOTES[key] = _Provider(order, build)
        return build

    return register


def notes_for(request, school, campaign, indicators) -> dict[str, list[IndicatorNote]]:
    notes: dict[str, list[IndicatorNote]] = {}
    for provider in sorted(_INDICATOR_NOTES.values(), key=lambda provider: provider.order):
        for code, lines in (provider.build(request, school, campaign, indicators) or {}).items():
            notes.setdefault(code, []).extend(lines)
    return notes


_SYNTHESIS_PANELS: dict[str, _Provider] = {}


def synthesis_panel(key: str, order: int):
    """Registers `build(request, school, campaign) -> Panel | None`, a block of the synthesis
    (the actions done since the previous campaign, per domain)."""

    def register(build):
        _SYNTHESIS_PANELS[key] = _Provider(order, build)
        return build

    return register


def synthesis_panels_for(request, school, campaign) -> list[Panel]:
    providers = sorted(_SYNTHESIS_PANELS.values(), key=lambda provider: provider.order)
    return [panel for provider in providers if (panel := provider.build(request, school, campaign)) is not None]


# What is attached to a thing a school wrote: the evidence (« Pièces justificatives ») of an
# indicator's answer, an action, a meeting's minutes, a fiche, a workshop. The pages of those things
# live in apps beneath the one that keeps the files; it registers here, and each page asks.


_ATTACHED_PANELS: dict[str, _Provider] = {}


def attached_panel(key: str, order: int):
    """Registers `build(request, target, obj) -> Panel | None`: a block of the page of `obj`, whose
    kind `target` names (« answer », « action », « meeting », « fiche », « workshop »). The page has
    checked that the user reads `obj`."""

    def register(build):
        _ATTACHED_PANELS[key] = _Provider(order, build)
        return build

    return register


def attached_panels_for(request, target: str, obj) -> list[Panel]:
    providers = sorted(_ATTACHED_PANELS.values(), key=lambda provider: provider.order)
    return [panel for provider in providers if (panel := provider.build(request, target, obj)) is not None]


_INDICATOR_PIECES: dict[str, _Provider] = {}


def indicator_pieces(key: str, order: int):
    """Registers `build(assessment) -> dict[code, list[str]]`: the names (never the contents) of
    what is attached to each answer of an assessment, for the synthesis and the PDF report. Called
    once per document for all its indicators."""

    def register(build):
        _INDICATOR_PIECES[key] = _Provider(order, build)
        return build

    return register


def pieces_for(assessment) -> dict[str, list[str]]:
    pieces: dict[str, list[str]] = {}
    for provider in sorted(_INDICATOR_PIECES.values(), key=lambda provider: provider.order):
        for code, names in (provider.build(assessment) or {}).items():
            pieces.setdefault(code, []).extend(names)
    return pieces


_REVIEW_PANELS: dict[str, _Provider] = {}


def review_panel(key: str, order: int):
    """Registers `build(request, letter, first, last) -> Panel | None`: a block of the end-of-year
    review of a lettre de mission (`missions`), over the review's period (the workshops the RUPN
    ran)."""

    def register(build):
        _REVIEW_PANELS[key] = _Provider(order, build)
        return build

    return register


def review_panels_for(request, letter, first, last) -> list[Panel]:
    providers = sorted(_REVIEW_PANELS.values(), key=lambda provider: provider.order)
    return [panel for provider in providers if (panel := provider.build(request, letter, first, last)) is not None]
