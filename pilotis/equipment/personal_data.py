"""What the equipment needs hold about a person (core.personal_data): the needs they recorded and
the changes of state they made. Nothing is kept as text under their name (the account itself is
anonymised), so no anonymiser is needed."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import section, when
from pilotis.equipment.models import Need, NeedEvent


@section("equipment_needs_recorded", lambda: _("Besoins d'équipement enregistrés"), 77)
def recorded(user) -> list[dict]:
    return [
        {_("établissement"): n.school.name, _("date"): when(n.created_at), _("objet"): n.object}
        for n in Need.objects.filter(created_by=user).select_related("school").order_by("created_at", "pk")
    ]


@section("equipment_need_events", lambda: _("Étapes de besoins d'équipement"), 78)
def events(user) -> list[dict]:
    return [
        {
            _("établissement"): e.need.school.name,
            _("date"): when(e.at),
            _("objet"): e.need.object,
            _("état"): e.get_to_state_display(),
            _("note"): e.note,
        }
        for e in NeedEvent.objects.filter(by=user).select_related("need__school").order_by("at", "pk")
    ]
