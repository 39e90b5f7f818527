"""The end-of-year review of a letter's indicators: their status at the start and at the end of the mission."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Answer, AnswerChange, Assessment
from pilotis.core.school_years import current_school_year
from pilotis.missions import services
from pilotis.missions.models import MissionLetter
from pilotis.missions.review import review_period, review_rows
from pilotis.missions.services import school_year_bounds
from pilotis.referential.models import Indicator, ReferentialVersion
from tests.factories import MINI, load_referential

# A past school year: its review period is over whatever the day the suite runs.
PAST_YEAR = "2024-2025"
FIRST_DAY, LAST_DAY = school_year_bounds(PAST_YEAR)
IMP = Decimal("1250.00")


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def answer(campaign, school, code, status, when, by):
    """Saves an answer through the service, then dates it (its history row and the answer) at `when`."""
    indicator = Indicator.objects.get(version=campaign.referential, code=code)
    result = assessment_services.save_answer(campaign, school, indicator, status=status, comment="", by=by)
    AnswerChange.objects.filter(pk=result.answer.changes.latest("pk").pk).update(changed_at=when)
    Answer.objects.filter(pk=result.answer.pk).update(updated_at=when)


def open_past_campaign(world, version="test-1"):
    return assessment_services.open_campaign(
        academy=world.bordeaux,
        school_year=PAST_YEAR,
        referential=ReferentialVersion.objects.get(version=version),
        opens_on=FIRST_DAY,
        closes_on=LAST_DAY,
        by=world.dane,
    )


def designate_member(world, school_year=PAST_YEAR):
    """school_a's member becomes its RUPN (designate changes their role)."""
    first, last = school_year_bounds(school_year)
    return services.designate(
        world.school_a,
        user=world.member_a,
        school_year=school_year,
        starts_on=first,
        ends_on=last,
        imp_amount=IMP,
        by=world.chef_a,
    )


def letter_following(world, designation, indicators, missions=()):
    letter = services.start_letter(designation, by=world.chef_a)
    return services.update_letter(
        letter,
        fields={},
        missions=list(missions),
        indicators=list(indicators),
        seen_revision=letter.revision,
        by=world.chef_a,
    )


@pytest.fixture
def mini_campaign(world):
    load_referential(MINI)
    return open_past_campaign(world)


@pytest.fixture
def letter(world, mini_campaign):
    indicators = Indicator.objects.filter(version=mini_campaign.referential, code__in=["PIL.1.01", "PIL.1.02"])
    return letter_following(world, designate_member(world), indicators)


def statuses(letter):
    return {row.indicator.code: (row.start_status, row.end_status) for row in review_rows(letter)}


def test_the_period_of_a_past_year_is_the_designations(letter):
    assert review_period(letter) == (FIRST_DAY, LAST_DAY)


def test_the_period_of_the_running_year_ends_today(world):
    letter = services.start_letter(designate_member(world, current_school_year()), by=world.chef_a)
    first, last = school_year_bounds(current_school_year())
    assert review_period(letter) == (first, min(last, timezone.localdate()))


def test_a_status_changed_during_the_year(world, mini_campaign, letter):
    answer(
        mini_campaign, world.school_a, "PIL.1.01", "en_cours", at(FIRST_DAY - datetime.timedelta(days=20)), world.chef_a
    )
    answer(mini_campaign, world.school_a, "PIL.1.01", "realise", at(datetime.date(2025, 3, 10)), world.member_a)
    rows = review_rows(letter)
    assert statuses(letter) == {"PIL.1.01": ("en_cours", "realise"), "PIL.1.02": ("", "")}
    first = rows[0]
    assert (first.start_label, first.end_label, first.changed) == ("En cours de réalisation", "Réalisé", True)
    assert (rows[1].start_label, rows[1].end_label) == ("Non renseigné", "Non renseigné")


def test_a_change_after_the_end_is_ignored(world, mini_campaign, letter):
    answer(mini_campaign, world.school_a, "PIL.1.01", "non_realise", at(datetime.date(2025, 1, 5)), world.member_a)
    answer(
        mini_campaign,
        world.school_a,
        "PIL.1.01",
        "realise",
        at(LAST_DAY + datetime.timedelta(days=1), 0),
        world.member_a,
    )
    assert statuses(letter)["PIL.1.01"] == ("", "non_realise")


def test_the_first_and_last_days_belong_to_the_year(world, mini_campaign, letter):
    answer(mini_campaign, world.school_a, "PIL.1.01", "en_cours", at(FIRST_DAY, 0), world.member_a)  # midnight
    answer(mini_campaign, world.school_a, "PIL.1.02", "en_cours", at(FIRST_DAY, 9), world.member_a)
    answer(mini_campaign, world.school_a, "PIL.1.02", "realise", at(LAST_DAY, 23), world.member_a)
    assert statuses(letter) == {"PIL.1.01": ("en_cours", "en_cours"), "PIL.1.02": ("", "realise")}


def test_answers_without_history_are_read_on_the_answers(world, mini_campaign, letter):
    """Bulk-loaded answers (the demo's) have no history rows."""
    assessment = Assessment.objects.create(campaign=mini_campaign, school=world.school_a)
    by_code = {i.code: i for i in Indicator.objects.filter(version=mini_campaign.referential)}
    Answer.objects.bulk_create(
        [
            Answer(
                assessment=assessment,
                indicator=by_code["PIL.1.01"],
                status="realise",
                updated_at=at(FIRST_DAY - datetime.timedelta(days=3)),
            ),
            Answer(
                assessment=assessment,
                indicator=by_code["PIL.1.02"],
                status="en_cours",
                updated_at=at(datetime.date(2025, 2, 1)),
            ),
        ]
    )
    assert not AnswerChange.objects.exists()
    assert statuses(letter) == {"PIL.1.01": ("realise", "realise"), "PIL.1.02": ("", "en_cours")}


def test_another_schools_answers_do_not_count(world, mini_campaign, letter):
    answer(mini_campaign, world.school_b, "PIL.1.01", "realise", at(datetime.date(2025, 3, 1)), world.rupn_b)
    assert statuses(letter)["PIL.1.01"] == ("", "")


def test_indicators_are_matched_by_code_across_referential_versions(world, mini_campaign):
    """The letter names indicators of the 2021 referential; the school answered on another version."""
    load_referential()
    indicators = Indicator.objects.filter(version__version="2021", code__in=["PIL.1.01", "INF.1.01"])
    letter = letter_following(world, designate_member(world), indicators)
    answer(mini_campaign, world.school_a, "INF.1.01", "realise", at(datetime.date(2024, 11, 2)), world.member_a)
    assert statuses(letter) == {"PIL.1.01": ("", ""), "INF.1.01": ("", "realise")}


def test_queries_do_not_grow_with_the_number_of_indicators(world):
    load_referential()
    campaign = open_past_campaign(world, "2021")
    indicators = list(Indicator.objects.filter(version=campaign.referential)[:10])
    # The first one never answered, so that both letters read the answers too (3 queries each).
    for indicator in indicators[1:6]:
        answer(campaign, world.school_a, indicator.code, "realise", at(datetime.date(2025, 1, 6)), world.chef_a)
    designation = designate_member(world)
    counts = {}
    for size in (1, 10):
        letter = letter_following(world, designation, indicators[:size])
        letter = MissionLetter.objects.select_related("designation").get(pk=letter.pk)
        with CaptureQueriesContext(connection) as queries:
            rows = review_rows(letter)
        assert len(rows) == size
        counts[size] = len(queries)
        MissionLetter.objects.filter(pk=letter.pk).delete()
    assert counts == {1: 3, 10: 3}  # the indicators, their history, the answers without history
