"""What the equipment needs say beside the indicators (core.panels.indicator_notes): under an
indicator that needs cite, « 2 besoins d'équipement liés (1 transmis) »; under an Infrastructure
indicator that none cites and the school has not met (« Réalisé »), the way to record one: an unmet
Infrastructure indicator should lead to a need the collectivité can act on. They inform; they never
answer for the school."""

from collections import Counter

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer
from pilotis.core.panels import IndicatorNote, indicator_notes
from pilotis.equipment.enums import NeedState
from pilotis.equipment.models import Need
from pilotis.equipment.services import INFRASTRUCTURE

# A need counts as sent once it has left the school, whatever the answer since.
SENT = frozenset({NeedState.TRANSMITTED, NeedState.GRANTED, NeedState.REFUSED, NeedState.DELIVERED})


def linked_counts(school) -> tuple[Counter, Counter]:
    """Per indicator code: the needs citing it, and those of them sent (one query)."""
    linked, sent = Counter(), Counter()
    for codes, state in (
        Need.objects.filter(school=school).exclude(indicator_codes=[]).values_list("indicator_codes", "state")
    ):
        for code in set(codes):
            linked[code] += 1
            sent[code] += state in SENT
    return linked, sent


def note_text(linked: int, sent: int) -> str:
    text = ngettext("%(n)d besoin d'équipement lié", "%(n)d besoins d'équipement liés", linked) % {"n": linked}
    return text + " " + (ngettext("(%(n)d transmis)", "(%(n)d transmis)", sent) % {"n": sent}) + "."


@indicator_notes("equipment", order=50)
def equipment_notes(request, school, campaign, indicators) -> dict:
    """Two queries per page, whatever the number of indicators. The page has checked that the user
    reads the school, hence its needs (`perms.can_read_needs`)."""
    linked, sent = linked_counts(school)
    met = set(
        Answer.objects.filter(
            assessment__school=school, assessment__campaign=campaign, status=AnswerStatus.DONE
        ).values_list("indicator__code", flat=True)
    )
    url = reverse("equipment:home", args=[school.uai])
    notes = {}
    for indicator in indicators:
        code = indicator.code
        if linked[code]:
            notes[code] = [IndicatorNote(note_text(linked[code], sent[code]), ((_("Besoins d'équipement"), url),))]
        elif code.split(".", 1)[0] == INFRASTRUCTURE and code not in met:
            notes[code] = [
                IndicatorNote(
                    _("Aucun besoin d'équipement n'est lié à cet indicateur."),
                    ((_("Besoins d'équipement"), url),),
                )
            ]
    return notes
