"""What the workshops hold about a person (core.personal_data): the sessions they were expected at
(and whether they came), and those they recorded. Nothing is kept as text under their name (the
account itself is anonymised), so no anonymiser is needed."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import section, when
from pilotis.workshops import themes
from pilotis.workshops.models import Participant, Workshop


@section("workshops_attended", lambda: _("Ateliers et formations suivis"), 75)
def attended(user) -> list[dict]:
    return [
        {
            _("établissement"): p.workshop.school.name,
            _("date"): when(p.workshop.held_on),
            _("intitulé"): p.workshop.title,
            _("thème"): themes.label(p.workshop.theme, p.workshop.theme_other),
            _("présent"): _("oui") if p.present else _("non"),
        }
        for p in Participant.objects.filter(user=user)
        .select_related("workshop__school")
        .order_by("workshop__held_on", "pk")
    ]


@section("workshops_recorded", lambda: _("Ateliers et formations enregistrés"), 76)
def recorded(user) -> list[dict]:
    return [
        {_("établissement"): w.school.name, _("date"): when(w.held_on), _("intitulé"): w.title}
        for w in Workshop.objects.filter(created_by=user).select_related("school").order_by("held_on", "pk")
    ]
