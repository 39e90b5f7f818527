"""The autosave's read under the lock, in SQL, gives what the ORM gives."""

import pytest

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.locked_read import ANSWER_FIELDS, lock_for_answer
from pilotis.assessments.models import Answer, Assessment
from pilotis.referential.models import Indicator

pytestmark = pytest.mark.django_db(transaction=False)


def test_it_reads_the_assessment_its_campaign_and_the_domains_answers_as_the_orm_does(world, campaign):
    pil = list(Indicator.objects.filter(version=campaign.referential, domain__code="PIL").order_by("level", "position"))
    inf = Indicator.objects.filter(version=campaign.referential, domain__code="INF").first()
    for indicator, status in [(pil[0], AnswerStatus.DONE), (pil[3], AnswerStatus.IN_PROGRESS), (inf, "realise")]:
        services.save_answer(campaign, world.school_a, indicator, status=status, comment="« dit »", by=world.rupn_a)

    read = lock_for_answer(world.school_a, campaign.academy_id, campaign.school_year, pil[5].code)

    orm = Assessment.objects.select_related("campaign__referential").get()
    assessment = read.assessment
    assert (assessment.pk, assessment.state, assessment.answered_count) == (orm.pk, orm.state, 3)
    assert assessment.domain_levels == orm.domain_levels and isinstance(assessment.domain_levels, dict)
    assert assessment.last_activity_at == orm.last_activity_at and assessment.last_activity_at.tzinfo is not None
    assert (assessment.campaign.pk, assessment.campaign.state, assessment.campaign.school_year) == (
        campaign.pk,
        campaign.state,
        campaign.school_year,
    )
    assert assessment.campaign.referential.checksum == campaign.referential.checksum
    assert assessment.school is world.school_a
    # The domain's answers only (PIL), as the ORM's values_list gives them, dates aware.
    expected = set(Answer.objects.filter(indicator__domain__code="PIL").values_list(*ANSWER_FIELDS))
    assert set(read.answers) == expected and len(expected) == 2


def test_an_unknown_code_reads_no_answer_and_no_assessment_reads_nothing(world, campaign):
    assert (
        lock_for_answer(world.school_a, campaign.academy_id, campaign.school_year, "PIL.1.01") is None
    )  # nothing answered yet
    indicator = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    read = lock_for_answer(world.school_a, campaign.academy_id, campaign.school_year, "ZZZ.9.99")
    assert read is not None and read.answers == []
    assert lock_for_answer(world.school_a, campaign.academy_id, "2030-2031", "PIL.1.01") is None
    assert (
        lock_for_answer(world.school_b, campaign.academy_id, campaign.school_year, "PIL.1.01") is None
    )  # another school's
