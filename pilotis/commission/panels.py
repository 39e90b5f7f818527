"""The commission's block on the school's page (core.panels): its next meeting, the state of the last
one, and the link to its page."""

from django.utils import timezone

from pilotis.commission.models import Meeting
from pilotis.commission.perms import can_run_commission
from pilotis.core.panels import Panel, school_panel


@school_panel("commission", order=35)
def commission(request, school) -> Panel:
    now = timezone.now()
    meetings = Meeting.objects.filter(school=school)
    upcoming = meetings.filter(starts_at__gte=now).order_by("starts_at", "pk").first()
    last = meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk").first()
    return Panel(
        "commission/panel.html", {"next": upcoming, "last": last, "run": can_run_commission(request.user, school)}
    )
