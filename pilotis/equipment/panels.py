"""The needs on the school's page (core.panels.school_panel): how many, how many prioritised and
sent, the way to the list."""

from django.db.models import Count, Q

from pilotis.core.panels import Panel, school_panel
from pilotis.equipment.enums import NeedState
from pilotis.equipment.models import Need
from pilotis.equipment.perms import can_write_needs


@school_panel("equipment", order=39)
def equipment_block(request, school) -> Panel:
    """One query."""
    counts = Need.objects.filter(school=school).aggregate(
        total=Count("pk"),
        prioritised=Count("pk", filter=Q(state=NeedState.PRIORITISED)),
        transmitted=Count("pk", filter=Q(state=NeedState.TRANSMITTED)),
        granted=Count("pk", filter=Q(state=NeedState.GRANTED)),
    )
    return Panel("equipment/panel.html", {"counts": counts, "write": can_write_needs(request.user, school)})
