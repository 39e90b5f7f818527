"""The fiches' block on the school's page (core.panels): how many are published, shared with the
académie, in draft (the drafts only to the school's members, who read them), and the link."""

from django.db.models import Count, Q

from pilotis.core.panels import Panel, school_panel
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.models import Fiche


@school_panel("fiches", order=40)
def fiches(request, school) -> Panel:
    counts = (
        Fiche.objects.for_user(request.user)
        .filter(school=school)
        .aggregate(
            published=Count("pk", filter=Q(state=FicheState.PUBLISHED)),
            shared=Count("pk", filter=Q(state=FicheState.PUBLISHED, visibility=Visibility.ACADEMY)),
            drafts=Count("pk", filter=Q(state=FicheState.DRAFT)),
        )
    )
    return Panel("fiches/panel.html", counts)
