"""The synthesis' block « Actions réalisées depuis la campagne précédente », per domain, and its call
to prepare the plan once the self-assessment is validated."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotis.assessments import services as assessment_services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Assessment
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action
from tests.factories import open_campaign
from tests.plans.loop_helpers import action_of, answer, current_campaign, days_ago, last_year, plan_of

HEADING = "Actions réalisées depuis la campagne précédente"
PREPARE = "Préparer le plan d’actions"


@pytest.fixture
def previous(world, mini_referential):
    """Last year's campaign, school A's self-assessment validated 100 days ago."""
    campaign = open_campaign(world, mini_referential, last_year())
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.rupn_a)
    assessment = assessment_services.validate_assessment(Assessment.objects.get(campaign=campaign), by=world.chef_a)
    # The past cannot be lived again in a test: the validation's moment is set back by hand.
    Assessment.objects.filter(pk=assessment.pk).update(validated_at=timezone.now() - datetime.timedelta(days=100))
    return campaign


@pytest.fixture
def campaign(world, mini_referential, previous):
    return current_campaign(world, mini_referential)


@pytest.fixture
def plan(world, mini_referential, campaign):
    return plan_of(world.school_a, mini_referential, first_year=last_year(), last_year=campaign.school_year)


def done_on(action, day):
    """An action done on an earlier day (its status went through the service; the day is set back)."""
    Action.objects.filter(pk=action.pk).update(done_on=day)


def synthesis(client, world, campaign):
    response = client.get(reverse("assessments:synthesis", args=[world.school_a.uai, campaign.school_year]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_actions_done_since_the_last_validation_per_domain(client_for, world, campaign, plan, previous):
    both = action_of(plan, world.rupn_a, "Câbler les salles", ["PIL.1.01", "INF.1.01"], status=ActionStatus.DONE)
    done_on(both, days_ago(30))
    action_of(plan, world.rupn_a, "Sans indicateur", [], status=ActionStatus.DONE)
    before = action_of(plan, world.rupn_a, "Avant la validation", ["PIL.1.02"], status=ActionStatus.DONE)
    done_on(before, days_ago(150))
    action_of(plan, world.rupn_a, "Encore en cours", ["PIL.1.02"], status=ActionStatus.IN_PROGRESS)
    page = synthesis(client_for("member_a"), world, campaign)
    assert HEADING in page
    assert f"Depuis la validation de l’autodiagnostic {previous.school_year}" in page
    assert "2 actions réalisées." in page
    section = page[page.index(HEADING) :]
    assert section.count("Câbler les salles") == 2  # under Pilotage and under Infrastructure
    assert "(PIL.1.01)" in section and "(INF.1.01)" in section
    assert "Sans indicateur de ce référentiel" in section and "Sans indicateur</a>" in section
    assert "Avant la validation" not in section and "Encore en cours" not in section


def test_without_a_previous_campaign_every_done_action_counts(client_for, world, mini_referential):
    campaign = current_campaign(world, mini_referential)
    plan = plan_of(world.school_a, mini_referential, by=world.rupn_a)
    action = action_of(plan, world.rupn_a, "Ancienne", ["PIL.1.01"], status=ActionStatus.DONE)
    done_on(action, days_ago(700))
    page = synthesis(client_for("rupn_a"), world, campaign)
    assert "Actions réalisées du plan d’actions" in page and "Aucun autodiagnostic d’une année précédente" in page
    assert "Ancienne" in page


def test_a_validated_self_assessment_without_a_plan_for_the_year_calls_to_prepare_it(client_for, world, campaign):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.DONE, world.rupn_a)
    assessment_services.validate_assessment(Assessment.objects.get(campaign=campaign), by=world.chef_a)
    for who in ("rupn_a", "chef_a"):
        page = synthesis(client_for(who), world, campaign)
        assert PREPARE in page and f"/etablissements/{world.school_a.uai}/plan/" in page
    # Who may not write the plan is not called to prepare it; with nothing to show, no block.
    for who in ("member_a", "correspondant_40"):
        page = synthesis(client_for(who), world, campaign)
        assert PREPARE not in page and "Actions réalisées" not in page


def test_no_call_to_prepare_when_a_plan_covers_the_year_or_before_validation(client_for, world, campaign, plan):
    page = synthesis(client_for("rupn_a"), world, campaign)
    assert HEADING in page and PREPARE not in page  # not validated yet
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.DONE, world.rupn_a)
    assessment_services.validate_assessment(Assessment.objects.get(campaign=campaign), by=world.chef_a)
    page = synthesis(client_for("rupn_a"), world, campaign)
    assert PREPARE not in page  # last year's plan runs over this year
    assert "Voir le plan d’actions" in page


def test_no_plan_and_nothing_to_prepare_shows_no_block(client_for, world, campaign):
    assert "Actions réalisées" not in synthesis(client_for("rupn_a"), world, campaign)


def test_the_synthesis_costs_the_same_whatever_the_number_of_actions(client_for, world, campaign, plan):
    action_of(plan, world.rupn_a, "Première", ["PIL.1.01"], status=ActionStatus.DONE)
    client = client_for("rupn_a")
    synthesis(client, world, campaign)

    def count():
        with CaptureQueriesContext(connection) as queries:
            synthesis(client, world, campaign)
        return len(queries)

    few = count()
    for n in range(10):
        codes = ["PIL.1.01", "PIL.1.02", "INF.1.01"][: 1 + n % 3]
        action_of(plan, world.rupn_a, f"Action {n}", codes, status=ActionStatus.DONE)
    assert count() == few
