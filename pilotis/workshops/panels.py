"""The workshops in the end-of-year review of the RUPN's lettre de mission (core.panels.review_panel):
the sessions held within the review's period, their figures and their list."""

from pilotis.core.panels import Panel, review_panel
from pilotis.workshops import summary
from pilotis.workshops.models import Workshop


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
