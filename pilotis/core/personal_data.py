"""What Pilotis holds about a person, gathered from every app, for their download and their anonymisation.

Each app knows its own rows about a person, but `accounts`, which offers the download, sits below
most of them and may not import them. So each app registers a section here when it is ready
(`<app>/personal_data.py`, imported by its AppConfig.ready) and `gather(user)` asks them all. A
section is a title and rows, each row a dict from French labels to values: the file is read by
the person, not by a program of ours.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.models import AuditEvent


@dataclass(frozen=True)
class Section:
    order: int
    key: str
    title: Callable[[], str]
    rows: Callable  # (user) -> list[dict]


_SECTIONS: dict[str, Section] = {}


def section(key: str, title: Callable[[], str], order: int):
    """Registers `rows(user) -> list[dict]` as a section of the person's data."""

    def register(rows):
        _SECTIONS[key] = Section(order, key, title, rows)
        return rows

    return register


_ANONYMISERS: dict[str, Callable] = {}
# What replaces a person's name in the records that keep it as text (history, signatures…).
ANONYMOUS_LABEL = gettext_lazy("Compte anonymisé")


def anonymiser(key: str):
    """Registers `erase(user) -> None`, which removes the person from the app's own rows (their
    name kept as text, their address in a list…) when their account is anonymised."""

    def register(erase):
        _ANONYMISERS[key] = erase
        return erase

    return register


def anonymise(user) -> None:
    """Asks every app to forget the person (call it in the anonymising transaction)."""
    for key in sorted(_ANONYMISERS):
        _ANONYMISERS[key](user)


def gather(user) -> dict:
    """Everything the registered sections hold about the user, ready for JSON."""
    sections = sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    return {
        _("service"): "Pilotis",
        _("généré le"): timezone.now().isoformat(timespec="seconds"),
        _("sections"): [{_("titre"): s.title(), _("lignes"): s.rows(user)} for s in sections],
    }


def when(value) -> str | None:
    """Dates and times as ISO 8601 (times in UTC, as stored)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@anonymiser("audit")
def _audit(user) -> None:
    label = str(ANONYMOUS_LABEL)
    AuditEvent.objects.filter(actor=user).update(actor_label=label)
    # Events about the account itself (invitation, roles…) named it and may hold its address.
    about = AuditEvent.objects.filter(object_type=user._meta.label_lower, object_id=str(user.pk))
    about.update(object_label=label, before=None, after=None)


def _audit_title() -> str:
    return _("Journal d'audit : vos actions (conservées %(days)s jours)") % {"days": settings.AUDIT_RETENTION_DAYS}


@section("audit", _audit_title, 90)
def audit_rows(user) -> list[dict]:
    return [
        {
            _("date"): when(event.created_at),
            _("action"): event.get_action_display(),
            _("objet"): event.object_label,
            _("adresse IP"): event.ip_address,
        }
        for event in AuditEvent.objects.filter(actor=user).order_by("created_at", "pk")
    ]
