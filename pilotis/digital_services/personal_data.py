"""What the register holds about a person (core.personal_data): the services they administer, and
those they recorded. When their account is anonymised, they stop being an administrator: the
service stays in the register and counts as without administrator at the school until the RUPN
names someone (a link to « Compte anonymisé » would hide that nobody administers it)."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import anonymiser, section, when
from pilotis.digital_services import services
from pilotis.digital_services.models import DigitalService


@section("digital_services_administered", lambda: _("Services numériques administrés"), 77)
def administered(user) -> list[dict]:
    return [
        {
            _("établissement"): s.school.name,
            _("service"): s.name,
            _("nature"): s.get_kind_display(),
            _("adresse"): s.address,
        }
        for s in DigitalService.objects.filter(administrators=user)
        .select_related("school")
        .order_by("school__name", "name", "pk")
    ]


@section("digital_services_recorded", lambda: _("Services numériques enregistrés"), 78)
def recorded(user) -> list[dict]:
    return [
        {_("établissement"): s.school.name, _("service"): s.name, _("enregistré le"): when(s.created_at)}
        for s in DigitalService.objects.filter(created_by=user).select_related("school").order_by("created_at", "pk")
    ]


@anonymiser("digital_services")
def forget(user) -> None:
    services.forget_administrator(user)
