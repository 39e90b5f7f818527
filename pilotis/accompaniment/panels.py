"""The accompaniment's block on the school's page (core.panels). The territory team, whose record it
is, reads its latest entry and its next step; the school's direction and RUPN read only what was
shared with the school; anyone else sees no block at all."""

from django.utils import timezone

from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.accompaniment.perms import can_keep_log
from pilotis.accompaniment.territory import due_label
from pilotis.core.panels import Panel, school_panel
from pilotis.territories.perms import can_write_school

LATEST = 3


@school_panel("accompaniment", order=40)
def accompaniment(request, school) -> Panel | None:
    keep = can_keep_log(request.user, school)
    if not keep and not can_write_school(request.user, school):
        return None
    entries = AccompanimentEntry.objects.filter(school=school)
    if not keep:
        entries = entries.filter(shared_with_school=True)
    latest = list(entries.order_by("-happened_on", "-pk")[:LATEST])
    if not latest and not keep:
        return None  # nothing shared yet: the school's page says nothing of a record it cannot read
    today = timezone.localdate()
    next_entry = next((entry for entry in latest[:1] if entry.next_step_on), None)
    return Panel(
        "accompaniment/panel.html",
        {
            "keep": keep,
            "latest": latest,
            "next": next_entry,
            "due": due_label(next_entry.next_step_on, today) if next_entry else "",
            "overdue": bool(next_entry) and next_entry.next_step_on < today,
        },
    )
