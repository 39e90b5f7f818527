"""What the workshops say beside the indicators (core.panels.indicator_notes): under the Formation
domain's indicators, the school year's workshops and trainings; under PIL.1.06 (the catalogue of
usage fiches presented to the teams), the sessions that presented it. They inform; they never
answer for the school."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.core import formats
from pilotis.core.panels import IndicatorNote, indicator_notes
from pilotis.workshops import summary
from pilotis.workshops.models import Workshop

TRAINING_DOMAIN = "FOR"
CATALOGUE_INDICATOR = "PIL.1.06"
MAX_LINKS = 5


def _is_training(code: str) -> bool:
    return code.split(".", 1)[0] == TRAINING_DOMAIN


def _list_url(school, year) -> str:
    return reverse("workshops:home", args=[school.uai]) + "?" + urlencode({"annee": year})


def training_note(school, year) -> IndicatorNote:
    figures = summary.summarise(summary.year_of(Workshop.objects.filter(school=school), year))
    if not figures.sessions:
        return IndicatorNote(
            _("Aucun atelier ni formation enregistré en %(year)s.") % {"year": year},
            ((_("Ateliers et formations"), _list_url(school, year)),),
        )
    themes = ", ".join(f"{t.label} ({t.sessions})" for t in figures.themes[:3])
    text = _("Ateliers et formations en %(year)s : %(figures)s. Thèmes : %(themes)s.") % {
        "year": year,
        "figures": figures.sentence(),
        "themes": themes,
    }
    return IndicatorNote(text, ((_("Ateliers et formations"), _list_url(school, year)),))


def catalogue_note(school, year) -> IndicatorNote:
    sessions = list(
        summary.catalogue_presentations(summary.year_of(Workshop.objects.filter(school=school), year)).order_by(
            "held_on", "pk"
        )
    )
    if not sessions:
        return IndicatorNote(
            _("Aucune séance de présentation du catalogue des fiches d'usage enregistrée en %(year)s.") % {"year": year}
        )
    text = ngettext(
        "%(n)s séance a présenté le catalogue des fiches d'usage en %(year)s.",
        "%(n)s séances ont présenté le catalogue des fiches d'usage en %(year)s.",
        len(sessions),
    ) % {"n": len(sessions), "year": year}
    links = tuple(
        (
            _("%(title)s, le %(day)s") % {"title": w.title, "day": formats.day(w.held_on)},
            reverse("workshops:detail", args=[school.uai, w.pk]),
        )
        for w in sessions[:MAX_LINKS]
    )
    return IndicatorNote(text, links)


@indicator_notes("workshops", order=40)
def workshop_notes(request, school, campaign, indicators) -> dict:
    """At most two notes per page (five queries), whatever the number of indicators. The page has
    checked that the user reads the school, hence its workshops (`perms.can_read_workshops`)."""
    training = [i.code for i in indicators if _is_training(i.code)]
    catalogue = [i.code for i in indicators if i.code == CATALOGUE_INDICATOR]
    notes = {}
    if training:
        note = training_note(school, campaign.school_year)
        notes.update({code: [note] for code in training})
    if catalogue:
        notes[CATALOGUE_INDICATOR] = [catalogue_note(school, campaign.school_year)]
    return notes
