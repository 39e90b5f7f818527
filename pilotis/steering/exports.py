"""The dashboards as CSV and ODS (`core.exporters`), with the page's filters and the small-cell
rule: a share or mean under it is an empty cell, never a number."""

from dataclasses import dataclass
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.assessments.enums import AnswerStatus, AssessmentState
from pilotis.core.exporters import Column, Exporter
from pilotis.steering import figures
from pilotis.steering.schools import referents_of, sorted_by, with_assessment

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


def _percent(value):
    return None if value is None else round(100 * value, 1)


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def state_label(school) -> str:
    if school.assessment_state == AssessmentState.VALIDATED:
        return str(AssessmentState.VALIDATED.label)
    if school.answered:
        return str(AssessmentState.DRAFT.label)
    return _("Non commencé")


def _stem(board, name):
    where = board.department.code if board.department else board.campaign.academy.code
    return f"pilotage-{name}-{board.campaign.school_year}-{where}"


class ProgressExport(Exporter):
    """Every school of the territory with its state: the reminder list of a correspondent."""

    columns = [
        Column("uai", gettext_lazy("UAI")),
        Column("name", gettext_lazy("Établissement"), "8cm"),
        Column("department", gettext_lazy("Département")),
        Column("state", gettext_lazy("État")),
        Column("answered", gettext_lazy("Indicateurs renseignés")),
        Column("referents", gettext_lazy("RUPN"), "6cm"),
        Column("last_activity", gettext_lazy("Dernière activité"), "4cm"),
    ]

    def __init__(self, board):
        self.board = board
        self.title = _("Avancement %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "avancement")

    def rows(self):
        schools = with_assessment(self.board.territory).order_by("name", "uai").iterator(chunk_size=CHUNK)
        for chunk in iter(lambda: list(islice(schools, CHUNK)), []):
            yield from self._chunk_rows(chunk)

    def _chunk_rows(self, chunk):
        referents = referents_of(chunk)  # one query per chunk: memory stays flat at any scale
        for school in chunk:
            yield {
                "uai": school.uai,
                "name": school.name,
                "department": school.department.name,
                "state": state_label(school),
                "answered": school.answered,
                "referents": ", ".join(referents.get(school.pk, [])),
                "last_activity": _local(school.last_activity) if school.answered else None,
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

    def rows(self):
        schools = with_assessment(self.board.territory)
        if self.board.form.is_bound:
            schools = self.board.form.filter(schools)
        schools = sorted_by(schools, self.board.param("sort", "name"), {d.code for d in self.domains})
        for school in schools.iterator(chunk_size=2000):
            row = {
                "uai": school.uai,
                "name": school.name,
                "department": school.department.name,
                "kind": school.get_kind_display(),
                "sector": school.get_sector_display(),
                "state": state_label(school),
            }
            for domain in self.domains:
                row[domain.code] = (school.levels or {}).get(domain.code, 0) if school.answered else None
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


@dataclass
class TrendLine:
    label: str
    values: list  # one per campaign; None under the small-cell rule
    unit: str  # "count", "percent" or "level"
    detail: str = ""


def trend_lines(summaries) -> list[TrendLine]:
    """The Évolution table: one line per figure, one column per campaign."""
    lines = [
        TrendLine(_("Établissements ayant commencé"), [s.progress.started for s in summaries], "count"),
        TrendLine(_("Établissements ayant validé"), [s.progress.validated for s in summaries], "count"),
    ]
    if not summaries:
        return lines
    for index, distribution in enumerate(summaries[-1].distribution):
        lines.append(
            TrendLine(
                _("Niveau moyen — %(domain)s") % {"domain": distribution.domain.title},
                [s.distribution[index].mean if index < len(s.distribution) else None for s in summaries],
                "level",
            )
        )
    for code, current in summaries[-1].indicators.items():
        values = []
        for summary in summaries:
            past = summary.indicators.get(code)
            values.append(_percent(past.shares[AnswerStatus.DONE]) if past else None)
        lines.append(
            TrendLine(_("%(code)s — part « Réalisé »") % {"code": code}, values, "percent", current.indicator.statement)
        )
    return lines


class TrendsExport(Exporter):
    def __init__(self, board):
        self.board = board
        self.summaries = figures.trends(board.territory)
        self.title = _("Évolution jusqu'à %(year)s") % {"year": board.campaign.school_year}
        self.filename = _stem(board, "evolution")
        self.columns = [Column("label", _("Indicateur"), "10cm"), Column("detail", _("Intitulé"), "12cm")] + [
            Column(f"c{index}", s.campaign.school_year) for index, s in enumerate(self.summaries)
        ]

    def rows(self):
        for line in trend_lines(self.summaries):
            row = {"label": line.label, "detail": line.detail}
            for index, value in enumerate(line.values):
                row[f"c{index}"] = round(value, 2) if isinstance(value, float) else value
            yield row
