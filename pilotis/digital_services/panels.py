"""The register on the school's page (core.panels.school_panel), for the RUPN and the direction: how
many services, how many without an administrator at the school — what a handover must settle; and
in the end-of-year review of the RUPN's lettre de mission (core.panels.review_panel): the services
the letter's RUPN administers."""

from pilotis.core.panels import Panel, review_panel, school_panel
from pilotis.digital_services.models import DigitalService
from pilotis.digital_services.perms import can_read_services, can_write_services
from pilotis.digital_services.services import with_school_administrator


@school_panel("digital_services", order=40)
def register_block(request, school) -> Panel | None:
    if not can_write_services(request.user, school):
        return None
    services = with_school_administrator(DigitalService.objects.filter(school=school))
    total = services.count()
    without = services.filter(has_school_administrator=False).count() if total else 0
    return Panel("digital_services/panel.html", {"total": total, "without": without})


@review_panel("digital_services", order=20)
def administered_review(request, letter, first, last) -> Panel | None:
    # The review is the RUPN's: it lists what they administer today, whoever reads the letter
    # (its school's direction and RUPN, its territory: `missions.perms.can_read_letter`).
    rupn_id = letter.designation.user_id
    if rupn_id is None:
        return None
    services = list(
        DigitalService.objects.filter(school=letter.school, administrators=rupn_id).order_by("kind", "name", "pk")
    )
    # The register itself is its members' only: the link is offered to them alone.
    link = request is not None and can_read_services(request.user, letter.school)
    return Panel("digital_services/review_panel.html", {"services": services, "school": letter.school, "link": link})
