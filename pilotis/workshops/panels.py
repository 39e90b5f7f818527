"""The workshops on the school's page (core.panels.school_panel) and in the end-of-year review of the RUPN's lettre de mission (core.panels.review_panel):
the sessions held within the review's period, their figures and their list."""

from django.utils import timezone

from pilotis.core.panels import Panel, review_panel, school_panel
from pilotis.core.school_years import current_school_year
from pilotis.workshops import summary
from pilotis.workshops.models import Workshop
from pilotis.workshops.perms import can_write_workshops


def review_data(school, first, last) -> dict:
    """What the review shows, on the page and in the PDF: three queries, then one for the list."""
    workshops = summary.between(Workshop.objects.filter(school=school), first, last)
    return {
        "figures": summary.summarise(workshops),
        "sessions": list(workshops.order_by("held_on", "starts_at", "pk")),
        "first": first,
        "last": last,
        "school": school,
    }


@review_panel("workshops", order=10)
def workshops_review(request, letter, first, last) -> Panel | None:
    # Whoever reads the letter reads its school (`missions.perms.can_read_letter`), hence its
    # workshops (`perms.can_read_workshops`): no check of its own.
    return Panel("workshops/review_panel.html", review_data(letter.school, first, last))


@school_panel("workshops", order=38)
def workshops_block(request, school) -> Panel:
    """The school's page: the year's figures, the next session, the way to the list."""
    year = current_school_year()
    workshops = summary.year_of(Workshop.objects.filter(school=school), year)
    upcoming = workshops.filter(held_on__gte=timezone.localdate()).order_by("held_on", "starts_at", "pk").first()
    return Panel(
        "workshops/panel.html",
        {
            "figures": summary.summarise(workshops, with_themes=False),
            "next": upcoming,
            "year": year,
            "write": can_write_workshops(request.user, school),
        },
    )
