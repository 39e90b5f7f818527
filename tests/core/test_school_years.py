import datetime

import pytest

from pilotis.core.school_years import is_school_year, school_year_of


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 8, 31), "2025-2026"),
        (datetime.date(2026, 9, 1), "2026-2027"),
        (datetime.date(2027, 1, 15), "2026-2027"),
    ],
)
def test_school_year_turns_on_the_first_of_september(day, year):
    assert school_year_of(day) == year


def test_school_year_format():
    assert is_school_year("2025-2026")
    assert not is_school_year("2025-2027")
    assert not is_school_year("2025/2026")
