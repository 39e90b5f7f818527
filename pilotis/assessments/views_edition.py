"""The Édition tab: the self-assessment as a PDF report, and its answers as ODS and CSV.

Whoever may read the assessment may download it (the school's members, the correspondents
and the DANE of its territory); out of scope, the school's guard answers 404. GET only,
nothing is written.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from pilotis.assessments.exports import AssessmentExporter, export_filename, render_pdf
from pilotis.assessments.views import Context
from pilotis.core.exporters import attachment_response
from pilotis.territories.guards import school_view


@require_GET
@school_view("read")
def edition(request, school, year):
    ctx = Context(request, school, year)
    return render(request, "assessments/edition.html", ctx.as_dict(tab="edition"))


@require_GET
@school_view("read")
def export_pdf(request, school, year):
    ctx = Context(request, school, year)
    content = render_pdf(ctx.campaign, school, ctx.assessment)
    return attachment_response(content, export_filename(ctx.campaign, school, "rapport", "pdf"))


@require_GET
@school_view("read")
def export_ods(request, school, year):
    ctx = Context(request, school, year)
    exporter = AssessmentExporter(ctx.campaign, school, ctx.assessment)
    return attachment_response(exporter.as_ods(), exporter.filename("ods"))


@require_GET
@school_view("read")
def export_csv(request, school, year):
    ctx = Context(request, school, year)
    exporter = AssessmentExporter(ctx.campaign, school, ctx.assessment)
    return attachment_response(exporter.as_csv(), exporter.filename("csv"))
