"""The plan's documents: the plan as PDF and ODT (the live plan, or an adopted version exactly as
adopted) and its actions as ODS and CSV. Whoever reads the school reads them (guard `plan:read`);
a plan or a version that is not the school's is a 404."""

from django.utils import timezone
from django.views.decorators.http import require_GET

from pilotis.core.exporters import attachment_response
from pilotis.core.guards import get_or_refuse, refuse
from pilotis.plans.models import Plan, PlanVersion
from pilotis.territories.guards import school_view

EXPORT_FORMATS = ("ods", "csv")


def _plan(request, school, pk):
    return get_or_refuse(request, Plan.objects.filter(school=school).select_related("school"), what="plan", pk=pk)


def _version(request, school, pk, number):
    return get_or_refuse(
        request,
        PlanVersion.objects.filter(plan__school=school).select_related("plan__school"),
        what="plan_version",
        plan_id=pk,
        number=number,
    )


def _document(content: dict, school, extension: str):
    from pilotis.plans.documents.content import plan_filename

    if extension == "pdf":
        from pilotis.plans.documents.pdf import render_plan_pdf

        data = render_plan_pdf(content)
    else:
        from pilotis.plans.documents.odt import render_plan_odt

        data = render_plan_odt(content)
    return attachment_response(data, plan_filename(school, content, extension))


@require_GET
@school_view("read", guard="plan:read")
def plan_pdf(request, school, pk):
    from pilotis.plans.documents.content import plan_content

    return _document(plan_content(_plan(request, school, pk)), school, "pdf")


@require_GET
@school_view("read", guard="plan:read")
def plan_odt(request, school, pk):
    from pilotis.plans.documents.content import plan_content

    return _document(plan_content(_plan(request, school, pk)), school, "odt")


@require_GET
@school_view("read", guard="plan:read")
def version_pdf(request, school, pk, number):
    from pilotis.plans.documents.content import snapshot_content

    return _document(snapshot_content(_version(request, school, pk, number)), school, "pdf")


@require_GET
@school_view("read", guard="plan:read")
def version_odt(request, school, pk, number):
    from pilotis.plans.documents.content import snapshot_content

    return _document(snapshot_content(_version(request, school, pk, number)), school, "odt")


@require_GET
@school_view("read", guard="plan:read")
def actions_export(request, school, pk, fmt):
    from pilotis.plans.documents.exports import ActionsExport, actions_filename

    if fmt not in EXPORT_FORMATS:
        refuse(request, what="actions_export format")
    plan = _plan(request, school, pk)
    export = ActionsExport(plan, today=timezone.localdate())
    data = export.as_ods() if fmt == "ods" else export.as_csv()
    return attachment_response(data, actions_filename(plan, fmt))
