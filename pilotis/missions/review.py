"""The end-of-year review of a letter: each indicator it names, at the start and at the end of the
letter's period, as the school's self-assessments answered it."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.exports import NOT_ANSWERED
from pilotis.assessments.models import Answer, AnswerChange
from pilotis.referential.models import Indicator


def status_label(status: str) -> str:
    return str(AnswerStatus(status).label) if status else str(NOT_ANSWERED)


@dataclass(frozen=True)
class ReviewRow:
    indicator: Indicator
    start_status: str  # an AnswerStatus value, "" when not answered
    end_status: str

    @property
    def start_label(self) -> str:
        return status_label(self.start_status)

    @property
    def end_label(self) -> str:
        return status_label(self.end_status)

    @property
    def changed(self) -> bool:
        return self.start_status != self.end_status


def review_period(letter) -> tuple[datetime.date, datetime.date]:
    """From the letter's first day to its last — or to the day the designation ended, if it ended
    early — or to today while the year runs."""
    first, last = letter.period
    designation = letter.designation
    if designation.ended_early:
        last = min(last, designation.ends_on)
    end = min(last, timezone.localdate())
    return first, max(end, first)  # a year not begun yet: one day


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _statuses_from_history(school_id, codes, start, end) -> tuple[dict, dict, set]:
    """Statuses at `start` (<=) and before `end` (<), by code, and the codes that have any history."""
    changes = (
        AnswerChange.objects.filter(answer__assessment__school_id=school_id, answer__indicator__code__in=codes)
        .order_by("changed_at", "pk")
        .values_list("answer__indicator__code", "changed_at", "status_after")
    )
    at_start, at_end, known = {}, {}, set()
    for code, changed_at, status in changes:  # oldest first: the last one seen wins
        known.add(code)
        if changed_at <= start:
            at_start[code] = status
        if changed_at < end:
            at_end[code] = status
    return at_start, at_end, known


def _statuses_from_answers(school_id, codes, start, end) -> tuple[dict, dict]:
    """The same read on the answers themselves, for codes without history (bulk-loaded answers)."""
    answers = (
        Answer.objects.filter(assessment__school_id=school_id, indicator__code__in=codes, updated_at__lt=end)
        .order_by("updated_at", "pk")
        .values_list("indicator__code", "updated_at", "status")
    )
    at_start, at_end = {}, {}
    for code, updated_at, status in answers:
        if updated_at <= start:
            at_start[code] = status
        at_end[code] = status
    return at_start, at_end


def review_rows(letter) -> list[ReviewRow]:
    """One row per indicator of the letter, matched on the school's answers by code (the letter and
    the campaigns may use different referential versions), across all its campaigns.

    Three queries at most whatever the number of indicators: the indicators, all their history
    rows, then the answers of the codes without history; the statuses are picked in Python.
    """
    indicators = list(letter.indicators.select_related("domain").order_by("domain__position", "level", "position"))
    if not indicators:
        return []
    first, last = review_period(letter)
    start, end = _day_start(first), _day_start(last + datetime.timedelta(days=1))
    codes = {indicator.code for indicator in indicators}
    at_start, at_end, known = _statuses_from_history(letter.school_id, codes, start, end)
    if codes - known:
        fallback_start, fallback_end = _statuses_from_answers(letter.school_id, codes - known, start, end)
        at_start |= fallback_start
        at_end |= fallback_end
    return [
        ReviewRow(indicator, at_start.get(indicator.code, ""), at_end.get(indicator.code, ""))
        for indicator in indicators
    ]
