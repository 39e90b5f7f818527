"""The Édition of a self-assessment: its answers as CSV and ODS, and its report as PDF."""

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer
from pilotis.assessments.synthesis import synthesis_data
from pilotis.core import pdf
from pilotis.core.exporters import Column, Exporter, safe_filename
from pilotis.core.panels import pieces_for
from pilotis.referential.models import Indicator

NOT_ANSWERED = gettext_lazy("Non renseigné")


def _local(moment):
    """A naive local time, as spreadsheets expect it (they know no time zone)."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def indicator_rows(campaign, assessment):
    """Every indicator of the campaign's referential, in order, with its answer (None if none): two queries."""
    answers = {}
    if assessment is not None:
        answers = {
            a.indicator_id: a
            for a in Answer.objects.filter(assessment=assessment).select_related("updated_by", "carried_over_by")
        }
    indicators = (
        Indicator.objects.filter(version=campaign.referential_id)
        .select_related("domain")
        .order_by("domain__position", "level", "position")
    )
    for indicator in indicators:
        yield indicator, answers.get(indicator.pk)


def answer_label(answer) -> str:
    if answer is None or not answer.status:
        return str(NOT_ANSWERED)
    return str(AnswerStatus(answer.status).label)


def carried_over_label(answer) -> str:
    """« Reprise de 2025-2026 par Camille Martin, à vérifier »; empty for an answer not carried over."""
    if answer is None or not answer.carried_over_from:
        return ""
    values = {"year": answer.carried_over_from, "who": str(answer.carried_over_by or "—")}
    if answer.to_check:
        return _("Reprise de %(year)s par %(who)s, à vérifier") % values
    return _("Reprise de %(year)s par %(who)s, vérifiée ou modifiée depuis") % values


def export_filename(campaign, school, what: str, extension: str) -> str:
    """`schematic-0400001A-2026-2027-reponses.csv`: the UAI and the year, never a person."""
    return safe_filename("schematic", school.uai, campaign.school_year, what, extension=extension)


class AssessmentExporter(Exporter):
    """One row per indicator of the campaign's referential, answered or not."""

    columns = [
        Column("domain", gettext_lazy("Domaine"), "5cm"),
        Column("level", gettext_lazy("Niveau")),
        Column("code", gettext_lazy("Code"), "2.2cm"),
        Column("statement", gettext_lazy("Indicateur"), "12cm"),
        Column("answer", gettext_lazy("Réponse"), "4.5cm"),
        Column("comment", gettext_lazy("Commentaire"), "10cm"),
        Column("updated_at", gettext_lazy("Modifié le"), "3.5cm"),
        Column("updated_by", gettext_lazy("Modifié par"), "4.5cm"),
        Column("carried_over", gettext_lazy("Reprise de l'année précédente"), "7cm"),
    ]

    def __init__(self, campaign, school, assessment):
        self.campaign, self.school, self.assessment = campaign, school, assessment
        self.title = _("Réponses SCHÉMATIC %(year)s") % {"year": campaign.school_year}

    def rows(self):
        for indicator, answer in indicator_rows(self.campaign, self.assessment):
            answered = answer is not None and answer.revision > 0
            yield {
                "domain": indicator.domain.title,
                "level": indicator.level,
                "code": indicator.code,
                "statement": indicator.statement,
                "answer": answer_label(answer),
                "comment": answer.comment if answer else "",
                "updated_at": _local(answer.updated_at) if answered else None,
                "updated_by": str(answer.updated_by) if answered and answer.updated_by else "",
                "carried_over": carried_over_label(answer),
            }

    def filename(self, extension: str) -> str:
        return export_filename(self.campaign, self.school, "reponses", extension)


# --- PDF ------------------------------------------------------------------------------------------


def report_context(campaign, school, assessment) -> dict:
    levels = {level.number: level for level in campaign.referential.levels.all()}
    # The names of what is attached to each answer (the evidence, from the apps above), never its content.
    pieces = pieces_for(assessment) if assessment is not None else {}
    domains = {}
    for indicator, answer in indicator_rows(campaign, assessment):
        domain = domains.setdefault(indicator.domain_id, {"domain": indicator.domain, "levels": {}})
        domain["levels"].setdefault(indicator.level, []).append(
            {
                "indicator": indicator,
                "status": answer.status if answer else "",
                "label": answer_label(answer),
                "comment": answer.comment if answer else "",
                "pieces": pieces.get(indicator.code, []),
            }
        )
    synthesis = synthesis_data(campaign, school, assessment)
    # The chart's labels in Marianne too (WeasyPrint reads SVG text fonts from the SVG only).
    svg = str(synthesis["chart"]).replace("<svg ", '<svg font-family="Marianne, sans-serif" ', 1)
    synthesis["chart"] = mark_safe(svg)  # noqa: S308 — the same escaped SVG, one attribute added
    reached = {s.domain.pk: s for s in synthesis["summaries"]}
    sections = [
        {
            "domain": d["domain"],
            "summary": reached.get(pk),
            "levels": [(levels.get(n), n, rows) for n, rows in sorted(d["levels"].items())],
        }
        for pk, d in domains.items()
    ]
    return {
        "school": school,
        "campaign": campaign,
        "assessment": assessment,
        "sections": sections,
        "generated_at": timezone.now(),
        **synthesis,
    }


def render_pdf(campaign, school, assessment) -> bytes:
    """The report for the conseil d'administration: cover, synthesis, then every domain (A4)."""
    return pdf.render_pdf("assessments/pdf/report.html", report_context(campaign, school, assessment))
