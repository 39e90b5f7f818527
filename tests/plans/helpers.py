"""Fixtures of the plan's tests (imported by each module: other parts of the plan keep their own).

School A validated its 2026-2027 self-assessment on the mini referential: PIL.1.01 Réalisé,
PIL.1.02 En cours, the rest unanswered."""

import datetime

import pytest

from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Assessment
from pilotis.plans import services
from pilotis.referential.models import Indicator
from tests.factories import open_campaign

YEAR = "2026-2027"


def indicator(referential, code):
    return Indicator.objects.get(version=referential, code=code)


@pytest.fixture
def validated(world, mini_referential):
    campaign = open_campaign(world, mini_referential, YEAR)
    for code, status in [("PIL.1.01", "realise"), ("PIL.1.02", "en_cours")]:
        assessment_services.save_answer(
            campaign, world.school_a, indicator(mini_referential, code), status=status, comment="", by=world.rupn_a
        )
    assessment = Assessment.objects.get(campaign=campaign, school=world.school_a)
    assessment_services.validate_assessment(assessment, by=world.chef_a)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def plan(world, validated):
    return services.create_plan(world.school_a, by=world.rupn_a, first_year=YEAR, duration=2, assessment=validated)


@pytest.fixture
def action(world, plan, mini_referential):
    return services.create_action(
        plan,
        by=world.rupn_a,
        title="Réunir la commission numérique",
        indicators=[indicator(mini_referential, "PIL.2.01")],
        responsible=world.member_a,
        starts_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 3, 1),
    )
