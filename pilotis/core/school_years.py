"""School years run from 1 September to 31 August and are named "2025-2026"."""

import datetime
import re

from django.utils import timezone

SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


def school_year_of(day: datetime.date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def current_school_year() -> str:
    return school_year_of(timezone.localdate())


def is_school_year(value: str) -> bool:
    match = SCHOOL_YEAR_RE.match(value)
    return bool(match) and int(match.group(2)) == int(match.group(1)) + 1
