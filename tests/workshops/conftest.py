"""Sessions of school A (collège of the Landes) recorded through the services, dated within the
current school year whatever the day the suite runs."""

import datetime

from django.utils import timezone

from pilotis.core.school_years import current_school_year
from pilotis.workshops import services
from pilotis.workshops.services import WorkshopInput

YEAR = current_school_year()
FIRST_DAY = datetime.date(int(YEAR[:4]), 9, 1)


def today():
    return timezone.localdate()


def a_past_day(days=1):
    """A day of this school year, `days` before today (the first day at the earliest)."""
    return max(today() - datetime.timedelta(days=days), FIRST_DAY)


def data(**overrides) -> WorkshopInput:
    values = {
        "held_on": a_past_day(),
        "title": "Prise en main de l'ENT",
        "theme": "ent",
        "duration_minutes": 90,
        "audiences": ["teachers"],
    }
    values.update(overrides)
    return WorkshopInput(**values)


def record(world, school=None, by=None, **overrides):
    return services.record_workshop(school or world.school_a, data(**overrides), by=by or world.rupn_a)


def held(world, *, present=(), counted=None, participants=None, **overrides):
    """A session held (yesterday by default) with its attendance marked."""
    if participants is None:
        participants = [world.chef_a.pk, world.member_a.pk]
    workshop = record(world, participant_ids=list(participants), **overrides)
    return services.mark_attendance(workshop, by=world.rupn_a, present_ids=list(present), participant_count=counted)
