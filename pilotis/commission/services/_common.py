"""What every write of the commission shares: its refusals, its optimistic lock, the school year's bounds."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.commission.models import Meeting

DUE_WITHIN = datetime.timedelta(days=30)
FOLLOW_UP_TITLE = "Suivi du plan"


class MinutesLocked(ValidationError):
    """The meeting's minutes are validated: nothing of it changes until they are reopened."""


class StaleMeeting(ValidationError):
    """The meeting changed since the author's page was loaded: nothing was written."""


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def school_year_start(school_year: str) -> datetime.date:
    return datetime.date(int(school_year[:4]), 9, 1)


def year_bounds(school_year: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The school year as two aware moments: 1 September 00:00 to the next 1 September 00:00."""
    start = school_year_start(school_year)
    end = datetime.date(start.year + 1, 9, 1)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(end, datetime.time(), tzinfo=zone),
    )


def _check_locked(meeting):
    if meeting.is_locked:
        raise MinutesLocked(
            _(
                "Le compte rendu de cette réunion est validé : il ne peut plus être modifié, sauf si la "
                "direction le rouvre."
            )
        )


def _check_revision(locked, seen_revision, what=""):
    if seen_revision is not None and seen_revision != locked.revision:
        raise StaleMeeting(
            _(
                "La réunion a été modifiée par quelqu'un d'autre depuis l'affichage de cette page : rien n'a été "
                "enregistré. Vos saisies sont ci-dessous ; rechargez la page pour voir la version actuelle, puis "
                "reprenez-les."
            )
        )


def _lock(meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("school__department").get(pk=meeting.pk)


def _bump(meeting, *fields):
    meeting.revision += 1
    meeting.save(update_fields=["revision", *fields])
