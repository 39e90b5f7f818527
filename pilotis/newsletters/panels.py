"""The flash'infos on the school's page (core.panels.school_panel), for its RUPN and direction:
the last issue, when the next one is expected, whether one is in preparation."""

from django.utils import timezone

from pilotis.core.panels import Panel, school_panel
from pilotis.newsletters import rhythm
from pilotis.newsletters.models import Newsletter
from pilotis.newsletters.perms import can_proofread, can_write_newsletters


@school_panel("newsletters", order=45)
def newsletters_block(request, school) -> Panel | None:
    if not can_write_newsletters(request.user, school):
        return None
    last = rhythm.last_published(school)
    due_on = rhythm.due_on(rhythm.rhythm_of(school), last)
    return Panel(
        "newsletters/panel.html",
        {
            "last": last,
            "due_on": due_on,
            "overdue": due_on is not None and due_on < timezone.localdate(),
            "draft": Newsletter.objects.unpublished().filter(school=school).only("state").first(),
            "proofread": can_proofread(request.user, school),
        },
    )
