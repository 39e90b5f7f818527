"""What every mission service shares: the refusals, the locks on a designation and on a letter, and a
letter's revision (see the package's docstring)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.missions.models import Designation, MissionLetter


class StaleLetter(ValidationError):
    """The letter changed since the author's page was loaded."""


def school_year_bounds(school_year: str) -> tuple[datetime.date, datetime.date]:
    """`2026-2027` runs from 1 September 2026 to 31 August 2027."""
    start = int(school_year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def imp_rates() -> list[Decimal]:
    """The annual IMP amounts a designation may carry (`settings.IMP_RATES`)."""
    return [Decimal(rate) for rate in settings.IMP_RATES]


def require(allowed: bool):
    """Every service checks its author itself, whatever the view did."""
    if not allowed:
        raise PermissionDenied


def notify(subject, template, recipients, context):
    """An e-mail to the addresses given, those left empty skipped."""
    recipients = [address for address in recipients if address]
    if recipients:
        send_mail(subject, render_to_string(template, context), None, recipients)


def locked_designation(designation) -> Designation:
    return Designation.objects.select_for_update(of=("self",)).select_related("school", "user").get(pk=designation.pk)


def locked_letter(letter, seen_revision) -> MissionLetter:
    """The letter's row, locked; `StaleLetter` if it changed since the page showing `seen_revision`."""
    letter = (
        MissionLetter.objects.select_for_update(of=("self",))
        .select_related("designation__user", "school__department")
        .get(pk=letter.pk)
    )
    if seen_revision is not None and seen_revision != letter.revision:
        raise StaleLetter(
            _(
                "La lettre a été modifiée depuis l'affichage de cette page : rechargez-la et relisez-la "
                "avant de recommencer."
            )
        )
    return letter


def bump(letter, *fields):
    """Saves `fields` with a new revision: a page showing the previous one is now stale."""
    letter.revision += 1
    letter.updated_at = timezone.now()
    letter.save(update_fields=["revision", "updated_at", *fields])


def take_terms(letter, designation):
    """The IMP and the period the letter states: the designation's, while the letter is open."""
    letter.imp_amount = designation.imp_amount
    letter.starts_on, letter.ends_on = designation.starts_on, designation.ends_on
