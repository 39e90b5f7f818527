"""The RUPN mission's block on the school's page (core.panels): this year's RUPN, their letter's
state, and this user's next step in it."""

from django.utils.translation import gettext as _

from pilotis.core.panels import Panel, school_panel
from pilotis.core.school_years import current_school_year
from pilotis.missions.enums import LetterState
from pilotis.missions.models import Designation
from pilotis.missions.perms import can_manage_mission, can_read_letter, is_designated


def _next_step(user, designation, letter, manage: bool) -> str:
    state = letter.state if letter else None
    if is_designated(user, designation) and state == LetterState.PROPOSED:
        return _("Votre lettre de mission vous attend : lisez-la, puis acceptez-la ou renvoyez-la avec vos remarques.")
    if not manage:
        return ""
    if letter is None:
        return _("Rédigez la lettre de mission de %(name)s.") % {"name": designation.user_label}
    return {
        LetterState.DRAFT: _("La lettre de %(name)s est en brouillon : complétez-la et proposez-la."),
        LetterState.RETURNED: _("%(name)s a renvoyé sa lettre avec des remarques : reprenez-la et proposez-la."),
        LetterState.PROPOSED: _("La lettre attend la réponse de %(name)s."),
        LetterState.ACCEPTED: _("%(name)s a accepté sa lettre : signez-la."),
    }.get(state, "") % {"name": designation.user_label}


@school_panel("missions", order=20)
def mission(request, school) -> Panel:
    year = current_school_year()
    manage = can_manage_mission(request.user, school)
    rows = []
    designations = (
        Designation.objects.filter(school=school, school_year=year, ended_early=False)
        .select_related("school__department")
        .prefetch_related("letters")
        .order_by("starts_on", "user_label")
    )
    for designation in designations:
        letters = sorted(designation.letters.all(), key=lambda lt: (lt.created_at, lt.pk), reverse=True)
        letter = next((lt for lt in letters if lt.state != LetterState.SUPERSEDED), None)
        if letter is not None:
            letter.designation, letter.school = designation, school
            if not can_read_letter(request.user, letter):
                letter = None  # its state is the direction's and the RUPN's business until signed
        rows.append(
            {
                "designation": designation,
                "letter": letter,
                "next_step": _next_step(request.user, designation, letter, manage),
            }
        )
    return Panel("missions/panel.html", {"year": year, "rows": rows, "manage": manage})
