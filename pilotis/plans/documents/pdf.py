"""The plan as PDF (WeasyPrint, Marianne, A4, page numbers): an HTML template over its content."""

from django.utils.safestring import mark_safe

from pilotis.core import pdf


def render_plan_pdf(content: dict) -> bytes:
    timeline = {**content["timeline"], "svg": mark_safe(content["timeline"]["svg"])}  # noqa: S308 — built with every text escaped
    return pdf.render_pdf("plans/doc_plan_pdf.html", {**content, "timeline": timeline})
