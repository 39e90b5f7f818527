"""The relevé de décisions of a meeting, as PDF and ODT."""

from django.utils import timezone
from django.views.decorators.http import require_GET

from pilotis.commission.views_meetings import _meeting
from pilotis.core.exporters import attachment_response, safe_filename
from pilotis.territories.guards import school_view


def _filename(meeting, extension):
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return safe_filename("releve-de-decisions", meeting.school.uai, day, extension=extension)


@require_GET
@school_view("read")
def meeting_pdf(request, school, pk):
    from pilotis.commission.documents import render_record_pdf

    meeting = _meeting(request, school, pk, full=True)
    return attachment_response(render_record_pdf(meeting), _filename(meeting, "pdf"))


@require_GET
@school_view("read")
def meeting_odt(request, school, pk):
    from pilotis.commission.documents import render_record_odt

    meeting = _meeting(request, school, pk, full=True)
    return attachment_response(render_record_odt(meeting), _filename(meeting, "odt"))
