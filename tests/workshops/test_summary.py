import datetime
from decimal import Decimal

from pilotis.workshops import summary
from pilotis.workshops.models import Workshop
from tests.factories import SchoolFactory
from tests.workshops.conftest import YEAR, held, record, today


def test_the_years_figures_count_sessions_hours_present_members_and_counted_people(world):
    held(world, present=[world.chef_a.pk], counted=20, duration_minutes=90, theme="ent")
    held(world, present=[world.chef_a.pk, world.member_a.pk], counted=None, duration_minutes=60, theme="ent")
    held(world, present=[], counted=3, duration_minutes=45, theme="cartoun", participants=[])
    # Expected but not marked yet: its members do not count, its number does.
    record(world, held_on=today() + datetime.timedelta(days=2), participant_ids=[world.chef_a.pk], participant_count=5)
    # Another school's session is not this school's.
    record(world, school=world.school_b, by=world.rupn_b)

    figures = summary.summarise(summary.year_of(Workshop.objects.filter(school=world.school_a), YEAR))
    assert figures.sessions == 4
    assert figures.minutes == 90 + 60 + 45 + 90
    assert figures.hours == Decimal("4.8") and figures.hours_text == "4,8"  # 4.75 rounded half up
    assert (figures.present, figures.counted, figures.participants) == (3, 28, 31)
    assert [(t.code, t.sessions) for t in figures.themes] == [("ent", 3), ("cartoun", 1)]
    assert figures.sentence() == "4 séances, 4,8 heures, 31 participants"


def test_no_session_says_so_and_whole_hours_have_no_decimal(world):
    empty = summary.summarise(Workshop.objects.none())
    assert empty.sessions == 0 and empty.sentence() == "Aucun atelier ni formation enregistré."
    held(world, duration_minutes=120)
    assert summary.summarise(Workshop.objects.all()).hours_text == "2"
    assert summary.hours_text(50) == "0,8"  # rounded half up: 0.833…


def test_per_school_agrees_with_each_schools_own_summary(world):
    other = SchoolFactory(department=world.landes)
    held(world, present=[world.chef_a.pk], counted=4)
    held(world, present=[world.member_a.pk, world.chef_a.pk], counted=None, duration_minutes=30)
    record(world, school=world.school_b, by=world.rupn_b, participant_count=9)
    lines = summary.per_school(Workshop.objects.all())
    for school in (world.school_a, world.school_b):
        own = summary.summarise(Workshop.objects.filter(school=school), with_themes=False)
        line = lines[school.pk]
        assert (line.sessions, line.minutes, line.present, line.counted) == (
            own.sessions,
            own.minutes,
            own.present,
            own.counted,
        )
    assert other.pk not in lines
    assert lines[world.school_a.pk].participants == 7
