"""The rhythm: when the next issue is expected, and the reminder e-mailed once per due date."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from pilotis.core import outbox
from pilotis.newsletters import reminders, rhythm, services
from pilotis.newsletters.enums import Rhythm
from pilotis.newsletters.models import Reminder
from tests.newsletters.helpers import published

pytestmark = pytest.mark.django_db


def test_the_due_date_follows_the_rhythm():
    today = datetime.date(2026, 12, 7)
    assert rhythm.due_on(Rhythm.TERM, None, today) == datetime.date(2026, 9, 1) + datetime.timedelta(weeks=13)
    assert rhythm.due_on(Rhythm.SIX_WEEKS, None, today) == datetime.date(2026, 10, 13)
    assert rhythm.due_on(Rhythm.NONE, None, today) is None


def test_the_due_date_counts_from_the_last_issue(world):
    issue = published(world)
    expected = timezone.localdate(issue.published_at) + datetime.timedelta(weeks=13)
    assert rhythm.due_on(rhythm.rhythm_of(world.school_a), issue) == expected


def test_the_rupn_is_reminded_once_per_due_date(world, smtp_server):
    services.set_rhythm(world.school_a, Rhythm.SIX_WEEKS, by=world.rupn_a)
    services.set_rhythm(world.school_b, Rhythm.NONE, by=world.rupn_b)
    today = rhythm.school_year_start(timezone.localdate()) + datetime.timedelta(weeks=7)
    assert reminders.remind_all(today) == 1
    assert reminders.remind_all(today) == 0  # recorded: never twice for the same due date
    reminder = Reminder.objects.get()
    assert reminder.school == world.school_a
    outbox.send(reminder.mailing.pk)
    (message,) = smtp_server.messages
    assert message["To"] == world.rupn_a.email
    assert message["Subject"] == f"Un flash'infos est attendu — {world.school_a.name}"
    assert f"/etablissements/{world.school_a.uai}/flash-infos/" in message.get_content()


def test_no_reminder_before_the_due_date_nor_without_a_chosen_rhythm(world):
    services.set_rhythm(world.school_a, Rhythm.TERM, by=world.rupn_a)
    start = rhythm.school_year_start(timezone.localdate())
    assert reminders.remind_all(start + datetime.timedelta(weeks=12)) == 0
    assert not Reminder.objects.exists()


def test_the_command(world, capsys):
    services.set_rhythm(world.school_a, Rhythm.SIX_WEEKS, by=world.rupn_a)
    due = rhythm.due_on(Rhythm.SIX_WEEKS, None)
    call_command("remind_newsletters")
    out = capsys.readouterr().out
    if due <= timezone.localdate():
        assert "1 rappel(s)" in out and Reminder.objects.filter(due_on=due).exists()
    else:
        assert "0 rappel(s)" in out and not Reminder.objects.exists()
