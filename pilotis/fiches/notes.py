"""What the school's fiches say beside the indicators that name the académie's catalogue of usage
fiches (core.panels.indicator_notes): PIL.1.06 (the catalogue presented to the teams), PIL.2.03 (at
least one fiche), PIL.3.04 (several fiches, used regularly). Beside them the self-assessment shows
how many fiches the school has published, how many it shares with the académie, and links to the
latest. It informs; it never answers for the school."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.core.panels import IndicatorNote, indicator_notes
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.models import Fiche

FICHE_INDICATORS = ("PIL.1.06", "PIL.2.03", "PIL.3.04")
LINKS = 5


def fiches_note(user, school) -> IndicatorNote:
    """Two queries whatever the number of indicators: the counts, then the latest fiches this user
    reads (a territory user reads only those shared with the académie)."""
    published = Fiche.objects.filter(school=school, state=FicheState.PUBLISHED)
    counts = published.aggregate(
        total=Count("pk"),
        shared=Count("pk", filter=Q(visibility=Visibility.ACADEMY, taken_down_at__isnull=True)),
    )
    if not counts["total"]:
        return IndicatorNote(_("L’établissement n’a encore publié aucune fiche d’usage."))
    text = ngettext(
        "%(n)d fiche d’usage publiée par l’établissement",
        "%(n)d fiches d’usage publiées par l’établissement",
        counts["total"],
    ) % {"n": counts["total"]}
    text += ngettext(
        ", dont %(n)d partagée avec l’académie.", ", dont %(n)d partagées avec l’académie.", counts["shared"]
    ) % {"n": counts["shared"]}
    latest = (
        Fiche.objects.for_user(user)
        .filter(school=school, state=FicheState.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values_list("pk", "title")[:LINKS]
    )
    links = tuple((title, reverse("fiches:detail", args=[school.uai, pk])) for pk, title in latest)
    return IndicatorNote(text, links)


@indicator_notes("fiches", order=30)
def fiche_notes(request, school, campaign, indicators) -> dict:
    codes = [i.code for i in indicators if i.code in FICHE_INDICATORS]
    if not codes:
        return {}
    note = fiches_note(request.user, school)
    return {code: [note] for code in codes}
