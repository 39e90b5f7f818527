"""The dashboards as CSV and ODS (`core.exporters`), with the page's filters and the small-cell
rule: a share or mean under it is an empty cell, never a number."""

from dataclasses import dataclass
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.assessments.enums import AnswerStatus, AssessmentState
from pilotis.core import rounding
from pilotis.core.exporters import Column, Exporter, choice_labels
from pilotis.steering import figures, plans, services
from pilotis.steering.schools import heat_map, referents_of, with_assessment
from pilotis.territories.models import School

CHUNK = 2000

SORT_KEYS = {
    "code": lambda f: (f.indicator.domain.position, f.indicator.level, f.indicator.position),
    "done": lambda f: f.done,
    "in_progress": lambda f: f.in_progress,
    "not_done": lambda f: f.not_done,
    "unanswered": lambda f: f.unanswered,
}


def sort_indicators(rows, sort: str):
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        return rows
    # Counts sort the same way as shares (one denominator), and stay sortable under the rule.
    return sorted(rows, key=SORT_KEYS[key], reverse=sort.startswith("-"))


def _percent(share):
    """A share in percent, rounded by the one rule (`core.rounding`), as the page shows it. A
    float (its shortest form has the same one decimal) compares with plain numbers."""
    value = rounding.percent(share)
    return None if value is None else float(value)


def _mean(value):
    """A mean level, rounded by the one rule (`core.rounding`), as the page shows it."""
    value = rounding.mean(value)
    return None if value is None else float(value)


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def state_labels() -> tuple[str, str, str]:
    """Validated, filling in, not started: translated once per file, not once per row."""
    return str(AssessmentState.VALIDATED.label), str(AssessmentState.DRAFT.label), _("Non commencé")


def state_label(school, labels=None) -> str:
    validated, draft, not_started = labels or state_labels()
    if school.assessment_state == AssessmentState.VALIDATED:
        return validated
    if school.answered:
        return draft
    return not_started


def _stem(board, name):
    where = board.department.code if board.department else board.campaign.academy.code
    return f"pilotage-{name}-{board.campaign.school_year}-{where}"


class ProgressExport(Exporter):
    """Every school of the territory, whatever its state (the page lists one state at a time):
    the reminder list of a correspondent. Columns: UAI, name, département, state, indicators
    answered, RUPN, last activity, last reminder (as the page's lists show them)."""

    columns = [
        Column("uai", gettext_lazy("UAI")),
        Column("name", gettext_lazy("Établissement"), "8cm"),
        Column("department", gettext_lazy("Département")),
        Column("state", gettext_lazy("État")),
        Column("answered", gettext_lazy("Indicateurs renseignés")),
        Column("referents", gettext_lazy("RUPN"), "6cm"),
        Column("last_activity", gettext_lazy("Dernière activité"), "4cm"),
        Column("reminded", gettext_lazy("Dernière relance"), "4cm"),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Avancement %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "avancement")

    def row_count(self):
        return self.board.territory.school_count  # one row per open school, known already

    def rows(self):
        schools = with_assessment(self.board.territory).order_by("sort_name", "uai").iterator(chunk_size=CHUNK)
        for chunk in iter(lambda: list(islice(schools, CHUNK)), []):
            yield from self._chunk_rows(chunk)

    def _chunk_rows(self, chunk):
        # Two queries per chunk: memory stays flat at any scale.
        referents = referents_of(chunk)
        reminded = services.last_reminders(self.board.campaign, chunk)
        for school in chunk:
            yield {
                "uai": school.uai,
                "name": school.name,
                "department": school.department.name,
                "state": state_label(school),
                "answered": school.answered,
                "referents": ", ".join(referents.get(school.pk, [])),
                "last_activity": _local(school.last_activity) if school.answered else None,
                "reminded": _local(reminded.get(school.pk)),
            }


class MaturityExport(Exporter):
    def __init__(self, board):
        self.board = board
        self.domains = board.domains
        self.title = _("Maturité %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "maturite")
        self.columns = [
            Column("uai", _("UAI")),
            Column("name", _("Établissement"), "8cm"),
            Column("department", _("Département")),
            Column("kind", _("Type")),
            Column("sector", _("Secteur")),
            Column("state", _("État")),
            *[Column(d.code, _("%(domain)s — niveau") % {"domain": d.title}, "4cm") for d in self.domains],
        ]

    def row_count(self):
        # As the page counts them: on the schools alone when a filter narrows the list.
        if self.board.form.narrows():
            return self.board.form.filter(self.board.territory.schools()).count()
        return self.board.territory.school_count

    def rows(self):
        schools, _sort = heat_map(self.board.territory, self.board.form, {d.code for d in self.domains})
        # The labels translated once for the file: `get_kind_display()` hashes every lazy label
        # of the choices on each call, three quarters of a row's time (benchmarks/README.md).
        kinds, sectors, states = choice_labels(School, "kind"), choice_labels(School, "sector"), state_labels()
        for school in schools.iterator(chunk_size=CHUNK):
            row = {
                "uai": school.uai,
                "name": school.name,
                "department": school.department.name,
                "kind": kinds.get(school.kind, school.kind),
                "sector": sectors.get(school.sector, school.sector),
                "state": state_label(school, states),
            }
            for domain in self.domains:
                row[domain.code] = (school.levels or {}).get(domain.code, 0) if school.answered else None
            yield row


class DistributionExport(Exporter):
    """The maturity page's distribution of levels per domain. A file of its own: the exporter
    writes one table per file (`core.exporters`), and a CSV holds one anyway."""

    def __init__(self, board):
        self.board = board
        over = board.param("over", figures.OVER_VALIDATED)  # as the page: validated by default
        self.distribution = figures.level_distribution(board.territory, over)
        self.levels = len(self.distribution[0].counts) if self.distribution else 0
        self.title = _("Répartition %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "repartition")
        self.columns = [
            Column("code", _("Code")),
            Column("domain", _("Domaine"), "8cm"),
            Column(
                "schools",
                _("Établissements en cours de saisie")
                if over == figures.OVER_FILLING
                else _("Établissements ayant validé"),
            ),
        ]
        for level in range(self.levels):
            self.columns += [
                Column(f"n{level}", _("Niveau %(n)d") % {"n": level}),
                Column(f"p{level}", _("Niveau %(n)d (%%)") % {"n": level}),
            ]
        self.columns.append(Column("mean", _("Niveau moyen")))

    def rows(self):
        for d in self.distribution:
            row = {"code": d.domain.code, "domain": d.domain.title, "schools": d.schools, "mean": _mean(d.mean)}
            for level, (count, part) in enumerate(zip(d.counts, d.shares, strict=True)):
                row[f"n{level}"] = count
                row[f"p{level}"] = _percent(part)
            yield row


class IndicatorsExport(Exporter):
    columns = [
        Column("code", gettext_lazy("Code")),
        Column("domain", gettext_lazy("Domaine"), "5cm"),
        Column("level", gettext_lazy("Niveau")),
        Column("statement", gettext_lazy("Indicateur"), "12cm"),
        Column("done", gettext_lazy("Réalisé")),
        Column("in_progress", gettext_lazy("En cours")),
        Column("not_done", gettext_lazy("Non réalisé")),
        Column("unanswered", gettext_lazy("Sans réponse")),
        Column("done_pct", gettext_lazy("Réalisé (%)")),
        Column("in_progress_pct", gettext_lazy("En cours (%)")),
        Column("not_done_pct", gettext_lazy("Non réalisé (%)")),
        Column("unanswered_pct", gettext_lazy("Sans réponse (%)")),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Indicateurs %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "indicateurs")

    def rows(self):
        rows = sort_indicators(figures.indicators(self.board.territory), self.board.param("sort", "code"))
        for f in rows:
            shares = f.shares
            yield {
                "code": f.indicator.code,
                "domain": f.indicator.domain.title,
                "level": f.indicator.level,
                "statement": f.indicator.statement,
                "done": f.done,
                "in_progress": f.in_progress,
                "not_done": f.not_done,
                "unanswered": f.unanswered,
                "done_pct": _percent(shares[AnswerStatus.DONE]),
                "in_progress_pct": _percent(shares[AnswerStatus.IN_PROGRESS]),
                "not_done_pct": _percent(shares[AnswerStatus.NOT_DONE]),
                "unanswered_pct": _percent(shares["unanswered"]),
            }


# The four shares of an indicator: (key in forms and sorts, key in `IndicatorFigures.shares`, label).
SHARES = [
    ("done", str(AnswerStatus.DONE), gettext_lazy("part « Réalisé »")),
    ("in_progress", str(AnswerStatus.IN_PROGRESS), gettext_lazy("part « En cours »")),
    ("not_done", str(AnswerStatus.NOT_DONE), gettext_lazy("part « Non réalisé »")),
    ("unanswered", "unanswered", gettext_lazy("part sans réponse")),
]


@dataclass
class TrendLine:
    label: str  # its full name (the export's first column)
    # One per campaign: a count, a share in percent or a mean level; None under the small-cell
    # rule, or where that campaign's referential has no such domain, level or indicator.
    values: list
    unit: str  # "count", "percent" or "level"
    detail: str = ""
    shares: list | None = None  # beside counts: each one's share in percent (None likewise)
    short: str = ""  # its name under its section's heading, on the page
    share: str = ""  # an indicator's line: which of `SHARES`


@dataclass
class TrendSection:
    title: str
    lines: list[TrendLine]
    indicators: bool = False
    note: str = ""  # over what its figures are computed, under its title on the page


def _progress_section(summaries) -> TrendSection:
    def line(label, key):
        return TrendLine(
            label,
            [getattr(s.progress, key) for s in summaries],
            "count",
            shares=[_percent(s.progress.shares[key]) for s in summaries],
        )

    return TrendSection(
        _("Avancement"),
        [
            line(_("Établissements non commencés"), "not_started"),
            line(_("Établissements en cours de saisie"), "filling"),
            # The level distributions below are among these: validated beside validated.
            line(_("Établissements ayant validé"), "validated"),
            line(_("Établissements ayant commencé"), "started"),
        ],
    )


def _domain_sections(summaries) -> list[TrendSection]:
    # The latest campaign's domains in its order, then any only older ones had; by code, never
    # by position (a new version may reorder them).
    titles = {}
    for summary in reversed(summaries):
        for d in summary.distribution:
            titles.setdefault(d.domain.code, d.domain.title)
    levels = max((len(d.counts) for s in summaries for d in s.distribution), default=0)
    by_code = [s.domains for s in summaries]
    sections = []
    for code, title in titles.items():
        per_campaign = [domains.get(code) for domains in by_code]
        lines = [
            TrendLine(
                _("Niveau moyen — %(domain)s") % {"domain": title},
                [_mean(d.mean) if d else None for d in per_campaign],
                "level",
                short=_("Niveau moyen"),
            )
        ]
        for level in range(levels):
            lines.append(
                TrendLine(
                    _("%(domain)s — niveau %(n)d") % {"domain": title, "n": level},
                    [d.counts[level] if d and level < len(d.counts) else None for d in per_campaign],
                    "count",
                    shares=[_percent(d.shares[level]) if d and level < len(d.counts) else None for d in per_campaign],
                    short=_("Niveau %(n)d") % {"n": level},
                )
            )
        sections.append(
            TrendSection(title, lines, note=_("Niveaux sur les établissements ayant validé leur autodiagnostic"))
        )
    return sections


def _indicator_section(summaries) -> TrendSection:
    statements = {}
    for summary in reversed(summaries):
        for code, f in summary.indicators.items():
            statements.setdefault(code, f.indicator.statement)
    lines = []
    for code, statement in statements.items():
        per_campaign = [s.indicators.get(code) for s in summaries]
        for key, shares_key, label in SHARES:
            lines.append(
                TrendLine(
                    _("%(code)s — %(share)s") % {"code": code, "share": label},
                    [_percent(f.shares[shares_key]) if f else None for f in per_campaign],
                    "percent",
                    detail=statement,
                    short=code,
                    share=key,
                )
            )
    return TrendSection(_("Indicateurs"), lines, indicators=True)


def trend_sections(summaries) -> list[TrendSection]:
    """The Évolution table: one line per figure, one column per campaign, in sections."""
    return [_progress_section(summaries), *_domain_sections(summaries), _indicator_section(summaries)]


def trend_lines(summaries) -> list[TrendLine]:
    return [line for section in trend_sections(summaries) for line in section.lines]


class TrendsExport(Exporter):
    """Every figure of the Évolution page, the four shares of each indicator included; a count's
    share is the line below it."""

    def __init__(self, board):
        self.board = board
        self.summaries = figures.trends(board.territory)
        self.title = _("Évolution jusqu'à %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "evolution")
        self.columns = [Column("label", _("Chiffre"), "10cm"), Column("detail", _("Intitulé"), "12cm")] + [
            Column(f"c{index}", s.campaign.school_year) for index, s in enumerate(self.summaries)
        ]

    def rows(self):
        for line in trend_lines(self.summaries):
            yield self._row(line.label, line.detail, line.values)
            if line.shares is not None:
                yield self._row(_("%(figure)s — part (%%)") % {"figure": line.label}, line.detail, line.shares)

    @staticmethod
    def _row(label, detail, values):
        row = {"label": label, "detail": detail}
        for index, value in enumerate(values):
            row[f"c{index}"] = value  # rounded where made (`core.rounding`)
        return row


# --- Plans d'actions (`steering.plans`) ------------------------------------------------------


class PlanAdoptionExport(Exporter):
    """Per département, then the territory: schools, those with a plan covering the year, those
    with an adopted one, and the shares (empty under the small-cell rule)."""

    columns = [
        Column("code", gettext_lazy("Département")),
        Column("department", gettext_lazy("Nom"), "6cm"),
        Column("schools", gettext_lazy("Établissements")),
        Column("with_plan", gettext_lazy("Avec un plan couvrant l'année")),
        Column("with_plan_pct", gettext_lazy("Avec un plan (%)")),
        Column("adopted", gettext_lazy("Avec un plan adopté")),
        Column("adopted_pct", gettext_lazy("Plan adopté (%)")),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Plans adoptés %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "plans-adoptes")

    def rows(self):
        adoption = plans.adoption(self.board.territory, self.board.departments)
        for line in [*adoption.lines, adoption.total]:
            yield {
                "code": line.code,
                "department": line.label,
                "schools": line.schools,
                "with_plan": line.with_plan,
                "with_plan_pct": _percent(line.plan_share),
                "adopted": line.adopted,
                "adopted_pct": _percent(line.adopted_share),
            }


class PlanIndicatorsExport(Exporter):
    columns = [
        Column("rank", gettext_lazy("Rang")),
        Column("code", gettext_lazy("Code")),
        Column("domain", gettext_lazy("Domaine"), "5cm"),
        Column("level", gettext_lazy("Niveau")),
        Column("statement", gettext_lazy("Indicateur"), "12cm"),
        Column("schools", gettext_lazy("Établissements dont le plan le vise")),
        Column("schools_pct", gettext_lazy("Part des établissements (%)")),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Indicateurs visés %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "plans-indicateurs")

    def rows(self):
        for rank, aimed in enumerate(plans.aimed_indicators(self.board.territory), start=1):
            yield {
                "rank": rank,
                "code": aimed.code,
                "domain": aimed.domain,
                "level": aimed.level,
                "statement": aimed.statement,
                "schools": aimed.schools,
                "schools_pct": _percent(aimed.share),
            }


class PlanSchoolsExport(Exporter):
    """Every school of the territory, by name, as the per-school page lists them."""

    columns = [
        Column("uai", gettext_lazy("UAI")),
        Column("name", gettext_lazy("Établissement"), "8cm"),
        Column("department", gettext_lazy("Département")),
        Column("plan", gettext_lazy("Plan d'actions")),
        Column("done", gettext_lazy("Actions réalisées")),
        Column("in_progress", gettext_lazy("Actions en cours")),
        Column("overdue", gettext_lazy("Actions en retard")),
        Column("meetings", gettext_lazy("Réunions de la commission tenues")),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Plans par établissement %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "plans-etablissements")

    def row_count(self):
        return self.board.territory.school_count  # one row per open school, known already

    def rows(self):
        schools = plans.schools(self.board.territory).iterator(chunk_size=CHUNK)
        today = timezone.localdate()  # one day for the whole file
        for chunk in iter(lambda: list(islice(schools, CHUNK)), []):
            # Three queries per chunk: memory stays flat at any scale.
            for line in plans.school_lines(self.board.territory, chunk, today):
                yield {
                    "uai": line.school.uai,
                    "name": line.school.name,
                    "department": line.school.department.name,
                    "plan": line.plan_label,
                    "done": line.done,
                    "in_progress": line.in_progress,
                    "overdue": line.overdue,
                    "meetings": line.meetings,
                }
