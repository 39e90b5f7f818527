"""French dates, written once (core.formats) for pages, e-mails, PDF and ODT."""

import datetime
import zoneinfo

from django.template import Context, Template

from pilotis.core import formats

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_the_first_of_the_month_is_1er():
    assert formats.day(datetime.date(2026, 9, 1)) == "1er septembre 2026"
    assert formats.day(datetime.date(2026, 9, 2)) == "2 septembre 2026"
    assert (
        formats.period(datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)) == "du 1er septembre 2026 au 31 août 2027"
    )


def test_a_moment_is_written_in_local_time():
    moment = datetime.datetime(2026, 9, 30, 22, 5, 7, tzinfo=datetime.UTC)  # 1 October 00:05 in Paris
    assert formats.moment(moment) == "1er octobre 2026 à 00:05"
    assert formats.moment(moment, seconds=True) == "1er octobre 2026 à 00:05:07"
    assert formats.moment(None) == ""


def test_the_template_filters_say_the_same():
    moment = datetime.datetime(2026, 9, 1, 12, 0, tzinfo=PARIS)
    html = Template("{% load french_dates %}{{ d|day }} | {{ m|moment }} | {{ m|moment:'s' }}").render(
        Context({"d": datetime.date(2026, 9, 1), "m": moment})
    )
    assert html == "1er septembre 2026 | 1er septembre 2026 à 12:00 | 1er septembre 2026 à 12:00:00"
