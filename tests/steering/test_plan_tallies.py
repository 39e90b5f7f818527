"""The territory's plan counters (steering.plan_tallies) follow every change of the plans made
through their services, a school's closing, reopening or move, and equal what the raw rows say."""

import contextlib
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotis.accounts.enums import SchoolRole
from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Assessment
from pilotis.plans import services
from pilotis.plans.enums import ActionStatus, AdoptingBody
from pilotis.plans.models import Action, Objective, Plan
from pilotis.referential.models import Indicator
from pilotis.steering import plan_tallies
from pilotis.steering.models import AimedTally, PlanSchoolState, PlanTally
from pilotis.territories.models import School
from pilotis.territories.signals import schools_regrouped
from tests.factories import MembershipFactory, UserFactory, open_campaign

pytestmark = pytest.mark.django_db

YEAR = "2026-2027"
FIRST_YEARS = ["2025-2026", "2026-2027", "2027-2028"]
CODES = ["PIL.1.01", "PIL.1.02", "PIL.2.01", "INF.1.01"]


@pytest.fixture
def team(world, mini_referential):
    """Schools A (Landes) and B (Pyrénées-Atlantiques) validated their self-assessment; each has a
    RUPN and a direction."""
    campaign = open_campaign(world, mini_referential, YEAR)
    chef_b = MembershipFactory(user=UserFactory(username="chef_b"), school=world.school_b, role=SchoolRole.CHEF).user
    people = {world.school_a.pk: (world.rupn_a, world.chef_a), world.school_b.pk: (world.rupn_b, chef_b)}
    assessments = {}
    for school in (world.school_a, world.school_b):
        rupn, chef = people[school.pk]
        indicator = Indicator.objects.get(version=mini_referential, code="PIL.1.01")
        assessment_services.save_answer(campaign, school, indicator, status="realise", comment="", by=rupn)
        assessment = Assessment.objects.get(campaign=campaign, school=school)
        assessment_services.validate_assessment(assessment, by=chef)
        assessment.refresh_from_db()
        assessments[school.pk] = assessment
    indicators = {i.code: i for i in Indicator.objects.filter(version=mini_referential, code__in=CODES)}
    return people, assessments, indicators


def _agree():
    assert plan_tallies.stored() == plan_tallies.compute()
    assert plan_tallies.stored_states() == plan_tallies.states()


def _regroup(school, **changes):
    """What the annuaire import and the admin do to a school that closes, reopens or moves."""
    School.objects.filter(pk=school.pk).update(**changes)
    schools_regrouped.send(sender=School, school_ids=[school.pk])


def _plans(school):
    return list(Plan.objects.filter(school=school).order_by("pk"))


def _apply(step, world, team) -> None:
    people, assessments, indicators = team
    kind, which, number, picks = step
    school = [world.school_a, world.school_b][which]
    school.refresh_from_db()
    rupn, chef = people[school.pk]
    codes = [indicators[code] for code in CODES if picks & (1 << CODES.index(code))]
    plans = _plans(school)
    plan = plans[number % len(plans)] if plans else None
    if kind == "create_plan":
        services.create_plan(
            school,
            by=rupn,
            first_year=FIRST_YEARS[number % 3],
            duration=1 + picks % 3,
            assessment=assessments[school.pk],
        )
    elif kind == "close_or_open":
        _regroup(school, is_open=not school.is_open)
    elif kind == "move":
        _regroup(school, department=world.gironde if school.department_id != world.gironde.pk else world.landes)
    elif plan is None:
        return
    elif kind == "change_plan":
        services.change_plan(plan, by=rupn, title="Plan", first_year=FIRST_YEARS[number % 3], duration=1 + picks % 3)
    elif kind == "adopt":
        plan.refresh_from_db()
        services.adopt_plan(
            plan, by=chef, body=AdoptingBody.BOARD, adopted_on=datetime.date(2026, 11, 5), seen_revision=plan.revision
        )
    elif kind == "objective":
        existing = list(Objective.objects.filter(plan=plan).order_by("pk"))
        services.save_objective(
            plan,
            by=rupn,
            title="Objectif",
            targets=[(indicator, "realise", plan.first_year) for indicator in codes],
            objective=existing[0] if existing and picks % 2 else None,
        )
    elif kind == "delete_objective":
        objective = Objective.objects.filter(plan=plan).order_by("pk").first()
        if objective is not None:
            services.delete_objective(objective, by=rupn)
    elif kind == "action":
        services.create_action(plan, by=rupn, title="Action", indicators=codes)
    elif kind == "update_action":
        action = Action.objects.filter(plan=plan).order_by("pk").first()
        if action is not None:
            services.update_action(action, by=rupn, seen_revision=action.revision, indicators=codes, title="Action")
    elif kind == "delete_action":
        action = Action.objects.filter(plan=plan).order_by("-pk").first()
        if action is not None:
            services.delete_action(action, by=rupn)
    elif kind == "status":
        action = Action.objects.filter(plan=plan).order_by("pk").first()
        if action is not None:
            services.change_status(action, by=rupn, status=ActionStatus.DONE)


KINDS = [
    "create_plan",
    "change_plan",
    "adopt",
    "objective",
    "delete_objective",
    "action",
    "update_action",
    "delete_action",
    "status",
    "close_or_open",
    "move",
]
steps = st.tuples(st.sampled_from(KINDS), st.integers(0, 1), st.integers(0, 5), st.integers(0, 2 ** len(CODES) - 1))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(sequence=st.lists(steps, max_size=30))
def test_counters_follow_any_sequence_of_changes(world, team, sequence):
    for step in sequence:
        # Refused changes (overlapping years, adopting twice, a closed school…) write nothing.
        with contextlib.suppress(ValidationError, PermissionDenied):
            _apply(step, world, team)
        _agree()


def test_a_fixed_sequence_moves_the_counters_by_the_difference(world, team):
    people, assessments, indicators = team
    rupn, chef = people[world.school_a.pk]
    plan = services.create_plan(
        world.school_a, by=rupn, first_year=YEAR, duration=2, assessment=assessments[world.school_a.pk]
    )
    row = PlanTally.objects.get(school_year=YEAR, department=world.landes)
    assert (row.schools_with_plan, row.schools_adopted) == (1, 0)
    assert PlanTally.objects.get(school_year="2027-2028", department=world.landes).schools_with_plan == 1
    action = services.create_action(plan, by=rupn, title="Action", indicators=[indicators["PIL.2.01"]])
    services.create_action(plan, by=rupn, title="Autre", indicators=[indicators["PIL.2.01"]])
    # Two actions aim at PIL.2.01: the school counts once.
    assert AimedTally.objects.get(school_year=YEAR, department=world.landes, code="PIL.2.01").schools == 1
    plan.refresh_from_db()
    services.adopt_plan(
        plan, by=chef, body=AdoptingBody.BOARD, adopted_on=datetime.date(2026, 11, 5), seen_revision=plan.revision
    )
    assert PlanTally.objects.get(school_year=YEAR, department=world.landes).schools_adopted == 1
    services.delete_action(action, by=rupn)
    assert AimedTally.objects.get(school_year=YEAR, department=world.landes, code="PIL.2.01").schools == 1
    _regroup(world.school_a, department=world.gironde)
    assert PlanTally.objects.get(school_year=YEAR, department=world.landes).schools_with_plan == 0
    assert PlanTally.objects.get(school_year=YEAR, department=world.gironde).schools_adopted == 1
    assert AimedTally.objects.get(school_year=YEAR, department=world.gironde, code="PIL.2.01").schools == 1
    assert PlanSchoolState.objects.get(school=world.school_a, school_year=YEAR).department == world.gironde
    _regroup(world.school_a, is_open=False)
    assert not PlanSchoolState.objects.filter(school=world.school_a).exists()
    assert PlanTally.objects.get(school_year=YEAR, department=world.gironde).schools_with_plan == 0
    _agree()


def test_a_status_change_leaves_the_counters_alone(world, team, django_assert_num_queries):
    people, assessments, indicators = team
    rupn, _chef = people[world.school_a.pk]
    plan = services.create_plan(
        world.school_a, by=rupn, first_year=YEAR, duration=1, assessment=assessments[world.school_a.pk]
    )
    action = services.create_action(plan, by=rupn, title="Action", indicators=[indicators["PIL.2.01"]])
    states = list(PlanSchoolState.objects.values_list("pk", "codes"))
    services.change_status(action, by=rupn, status=ActionStatus.DONE)
    assert list(PlanSchoolState.objects.values_list("pk", "codes")) == states
    _agree()


def test_a_recount_costs_the_same_whatever_the_number_of_actions(world, team):
    """One school's recount reads its rows in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people, assessments, indicators = team
    rupn, _chef = people[world.school_a.pk]
    plan = services.create_plan(
        world.school_a, by=rupn, first_year=YEAR, duration=1, assessment=assessments[world.school_a.pk]
    )
    services.create_action(plan, by=rupn, title="Action", indicators=[indicators["PIL.2.01"]])

    def queries():
        PlanSchoolState.objects.filter(school=world.school_a).update(codes=[])  # forces a difference
        with CaptureQueriesContext(connection) as captured:
            plan_tallies.recount([world.school_a.pk])
        return len(captured)

    before = queries()
    for n in range(10):
        services.create_action(plan, by=rupn, title=f"Action {n}", indicators=[indicators["PIL.2.01"]])
    assert queries() == before


def test_rebuild_restores_counters_that_went_wrong_and_the_command_says_so(world, team):
    people, assessments, indicators = team
    rupn, _chef = people[world.school_a.pk]
    plan = services.create_plan(
        world.school_a, by=rupn, first_year=YEAR, duration=1, assessment=assessments[world.school_a.pk]
    )
    services.create_action(plan, by=rupn, title="Action", indicators=[indicators["PIL.2.01"]])
    PlanTally.objects.update(schools_with_plan=40)
    AimedTally.objects.all().delete()
    PlanSchoolState.objects.all().delete()
    assert plan_tallies.stored() != plan_tallies.compute()
    out = io.StringIO()
    call_command("rebuild_plan_tallies", stdout=out)
    _agree()
    assert f"{YEAR} : 1 établissements avec un plan, dont 0 adopté(s)." in out.getvalue()
    # Rebuilding one year leaves the others alone.
    PlanTally.objects.update(schools_with_plan=40)
    plan_tallies.rebuild([YEAR])
    _agree()
