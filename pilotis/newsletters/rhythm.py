"""When the next flash'infos is expected: one rule for the school's panel and the reminders."""

import datetime

from django.utils import timezone

from pilotis.newsletters.enums import Rhythm
from pilotis.newsletters.models import Newsletter, NewsletterSettings


def school_year_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def rhythm_of(school) -> Rhythm:
    """The school's chosen rhythm; a school that never chose gets no reminder."""
    chosen = NewsletterSettings.objects.filter(school=school).values_list("rhythm", flat=True).first()
    return Rhythm(chosen) if chosen else Rhythm.NONE


def last_published(school):
    return Newsletter.objects.published().filter(school=school).order_by("-number").first()


def due_on(rhythm: Rhythm, last, today=None) -> datetime.date | None:
    """The day the next issue is expected: the rhythm's interval after the last issue's
    publication, or after the school year's start when none was published this year; None for
    « aucun rappel »."""
    interval = rhythm.interval
    if interval is None:
        return None
    today = today or timezone.localdate()
    start = school_year_start(today)
    since = timezone.localdate(last.published_at) if last is not None else start
    return max(since, start) + interval
