"""The demandes d'assistance on the school's page (core.panels.school_panel): how many are open,
how many wait to be sent again, and the way to them."""

from django.db.models import Count, Q

from pilotis.core.panels import Panel, school_panel
from pilotis.support.enums import RequestState
from pilotis.support.models import SupportRequest
from pilotis.support.perms import can_write_requests


@school_panel("support", order=60)
def support_block(request, school) -> Panel:
    # The page has checked that the user reads the school, hence its requests (`can_read_requests`).
    counts = SupportRequest.objects.filter(school=school).aggregate(
        open=Count("pk", filter=Q(state__in=RequestState.open())),
        retry=Count("pk", filter=Q(state=RequestState.RETRY)),
        drafts=Count("pk", filter=Q(state=RequestState.DRAFT)),
    )
    return Panel("support/panel.html", {**counts, "write": can_write_requests(request.user, school)})
