"""Every write of the register of digital services, each in a transaction with its audit row. Each
service checks its author itself (`PermissionDenied`) whatever the view did, and refuses bad input
with a `ValidationError` in French before writing anything. An edition carries the revision its
page showed: if the service changed meanwhile, nothing is written (`StaleService`)."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.validators import first_forbidden_character
from pilotis.digital_services.enums import ServiceKind
from pilotis.digital_services.models import DigitalService
from pilotis.digital_services.perms import can_write_services

MAX_ADMINISTRATORS = 20
FIRST_YEAR = 1990


class StaleService(ValidationError):
    """The service changed since the author's page was loaded: nothing was written."""


STALE = _(
    "Ce service a été modifié par quelqu’un d’autre depuis l’affichage de cette page : rien n’a été "
    "enregistré. Vos saisies sont ci-dessous ; comparez-les à la version actuelle, puis enregistrez à nouveau."
)


@dataclass
class ServiceInput:
    """What the form gives."""

    kind: str
    name: str
    address: str = ""
    administrator_ids: list[int] = field(default_factory=list)
    outside_administrator: str = ""
    # « 2019 » or « 15/09/2021 » (or 2021-09-15): parsed by `parse_since`.
    since: str = ""
    support_channel: str = ""
    note: str = ""


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def school_members(school):
    """The people of the school who may administer a service, by name."""
    return (
        SchoolMembership.objects.filter(school=school, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__pk")
    )


def with_school_administrator(queryset):
    """Annotates `has_school_administrator`: one of its administrators is still an active member of
    its school (one who left, or whose account was closed, does not count)."""
    current = DigitalService.administrators.through.objects.filter(
        digitalservice_id=OuterRef("pk"),
        user__is_active=True,
        user__school_memberships__school_id=OuterRef("school_id"),
    )
    return queryset.annotate(has_school_administrator=Exists(current))


def parse_since(text: str) -> tuple[datetime.date | None, bool]:
    """« 2019 » → (2019-01-01, year only); « 15/09/2021 » or « 2021-09-15 » → that day; "" → None."""
    text = (text or "").strip()
    if not text:
        return None, False
    this_year = timezone.localdate().year
    wrong = ValidationError(
        _("« En service depuis » : indiquez une année (par exemple 2019) ou une date (par exemple 15/09/2021).")
    )
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if not FIRST_YEAR <= year <= this_year:
            raise ValidationError(
                _("« En service depuis » : l’année doit être comprise entre %(first)d et %(last)d.")
                % {"first": FIRST_YEAR, "last": this_year}
            )
        return datetime.date(year, 1, 1), True
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text) or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match is None:
        raise wrong
    parts = [int(p) for p in match.groups()]
    day, month, year = parts if "/" in text else reversed(parts)
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        raise wrong from None
    if value > timezone.localdate() or value.year < FIRST_YEAR:
        raise ValidationError(
            _("« En service depuis » : la date ne peut pas être dans l’avenir ni avant %(first)d.")
            % {"first": FIRST_YEAR}
        )
    return value, False


def _text(value, label, max_length, *, required=False, multiline=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Indiquez %(what)s.") % {"what": label})
    if len(value) > max_length:
        raise ValidationError(_("%(what)s dépasse %(n)d caractères.") % {"what": label.capitalize(), "n": max_length})
    if first_forbidden_character(value, multiline=multiline) >= 0:
        raise ValidationError(_("%(what)s contient un caractère interdit.") % {"what": label.capitalize()})
    return value


def _address(value: str) -> str:
    value = _text(value, _("l’adresse"), 500)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError(
                _("L’adresse doit être une adresse web complète, par exemple https://ent.example.fr.")
            ) from None
    return value


def _clean(school, data: ServiceInput, service=None) -> dict:
    """The values to write, or the first problem as a French sentence."""
    if data.kind not in ServiceKind.values:
        raise ValidationError(_("Choisissez la nature du service dans la liste."))
    ids = list(dict.fromkeys(data.administrator_ids or []))
    if len(ids) > MAX_ADMINISTRATORS:
        raise ValidationError(_("Un service compte au plus %(n)d administrateurs nommés.") % {"n": MAX_ADMINISTRATORS})
    allowed = set(school_members(school).filter(user_id__in=ids).values_list("user_id", flat=True))
    if service is not None:  # someone who has left the school may stay named until replaced
        allowed |= set(service.administrators.filter(pk__in=ids).values_list("pk", flat=True))
    if len(allowed) != len(ids):
        raise ValidationError(_("Un des administrateurs cochés n’est pas membre de l’établissement."))
    since, year_only = parse_since(data.since)
    return {
        "kind": data.kind,
        "name": _text(data.name, _("le nom du service"), 120, required=True),
        "address": _address(data.address),
        "outside_administrator": _text(data.outside_administrator, _("l’administrateur hors de l’établissement"), 120),
        "since": since,
        "since_year_only": year_only,
        "support_channel": _text(data.support_channel, _("l’assistance"), 120),
        "note": _text(data.note, _("la note"), 2000, multiline=True),
        "administrator_ids": ids,
    }


def _values(service, administrator_ids=None) -> dict:
    """The audit's picture of a service (administrators by id: names are not copied into the journal)."""
    if administrator_ids is None:
        administrator_ids = sorted(service.administrators.values_list("pk", flat=True))
    return {
        "kind": service.kind,
        "name": service.name,
        "address": service.address,
        "administrators": sorted(administrator_ids),
        "outside_administrator": service.outside_administrator,
        "since": service.since.isoformat() if service.since else "",
        "support_channel": service.support_channel,
    }


def record_service(school, data: ServiceInput, *, by, service=None, seen_revision=None) -> DigitalService:
    """Adds a service to the register (`service` None) or changes it, with its administrators."""
    require(can_write_services(by, school))
    if service is not None and service.school_id != school.pk:
        raise PermissionDenied
    values = _clean(school, data, service)
    ids = values.pop("administrator_ids")
    now = timezone.now()
    with transaction.atomic():
        if service is None:
            service = DigitalService.objects.create(
                school=school, created_by=by, updated_by=by, created_at=now, updated_at=now, **values
            )
            before = None
        else:
            service = DigitalService.objects.select_for_update().get(pk=service.pk)
            if seen_revision is not None and seen_revision != service.revision:
                raise StaleService(STALE)
            before = _values(service)
            for name, value in values.items():
                setattr(service, name, value)
            service.revision += 1
            service.updated_by, service.updated_at = by, now
            service.save()
        service.administrators.set(ids)
        audit.record(
            AuditAction.DIGITAL_SERVICE_RECORDED, actor=by, obj=service, before=before, after=_values(service, ids)
        )
    return service


def delete_service(service, *, by) -> None:
    """The service leaves the register; the journal keeps what it was."""
    require(can_write_services(by, service.school))
    with transaction.atomic():
        audit.record(AuditAction.DIGITAL_SERVICE_DELETED, actor=by, obj=service, before=_values(service))
        service.delete()


def forget_administrator(user) -> int:
    """An anonymised person administers nothing any more: the services they administered stay, and
    count as without administrator at the school until someone is named. Returns how many."""
    through = DigitalService.administrators.through
    return through.objects.filter(user_id=user.pk).delete()[0]
