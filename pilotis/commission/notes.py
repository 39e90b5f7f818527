"""What the commission's record says beside the indicators that ask for it (core.panels.indicator_notes).

PIL.2.01 asks for a commission numérique, PIL.3.01 for one with pupils and parents: beside them the
self-assessment shows how many meetings the record holds this school year, and links to them. It
informs; it never answers for the school."""

from django.urls import reverse
from django.utils.translation import gettext as _

from pilotis.commission.records import year_record
from pilotis.core import formats
from pilotis.core.panels import IndicatorNote, indicator_notes

COMMISSION_INDICATORS = ("PIL.2.01", "PIL.3.01")


def commission_note(school, school_year) -> IndicatorNote:
    record = year_record(school, school_year)
    if not record.meetings:
        return IndicatorNote(_("Aucune réunion de la commission numérique enregistrée cette année."))
    links = tuple(
        (
            _("Réunion du %(day)s") % {"day": formats.day(meeting.starts_at)},
            reverse("commission:meeting", args=[school.uai, meeting.pk]),
        )
        for meeting in record.meetings
    )
    return IndicatorNote(record.sentence(this_year_words=_("cette année scolaire")), links)


@indicator_notes("commission", order=20)
def commission_notes(request, school, campaign, indicators) -> dict:
    codes = [i.code for i in indicators if i.code in COMMISSION_INDICATORS]
    if not codes:
        return {}
    note = commission_note(school, campaign.school_year)
    return {code: [note] for code in codes}
