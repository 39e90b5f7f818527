# ruff: noqa: F811 — the fixtures of tests/plans/helpers.py are imported, then named as arguments
"""The plan's services: what they refuse (in French, writing nothing), the optimistic lock, the
journal, and the adopted version that later edits leave as it was."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.core.models import AuditEvent
from pilotis.plans import services
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, ActionEvent, Plan, PlanVersion, SuggestedAction
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, load_referential
from tests.plans.helpers import YEAR, action, indicator, plan, validated  # noqa: F401

pytestmark = pytest.mark.django_db


def _count():
    return (Plan.objects.count(), Action.objects.count(), ActionEvent.objects.count())


def test_a_plan_covers_one_to_three_years(world, validated):
    with pytest.raises(ValidationError, match="trois années"):
        services.create_plan(world.school_a, by=world.chef_a, first_year=YEAR, duration=4, assessment=validated)
    assert Plan.objects.count() == 0
    plan = services.create_plan(world.school_a, by=world.chef_a, first_year=YEAR, duration=3, assessment=validated)
    assert (plan.first_year, plan.last_year) == (YEAR, "2028-2029")
    assert plan.referential_id == validated.campaign.referential_id and plan.campaign_id == validated.campaign_id
    assert services.plan_years(plan) == ["2026-2027", "2027-2028", "2028-2029"]
    assert AuditEvent.objects.filter(action="plan_created").count() == 1


def test_plans_of_a_school_do_not_overlap(world, plan, validated):
    with pytest.raises(ValidationError, match="chevauchent"):
        services.create_plan(world.school_a, by=world.chef_a, first_year="2027-2028", duration=1, assessment=validated)
    with pytest.raises(ValidationError, match="trois années"):
        services.change_plan(plan, by=world.chef_a, title="Plan", first_year=YEAR, duration=4)
    plan.refresh_from_db()
    assert plan.last_year == "2027-2028"


def test_a_plan_needs_a_validated_assessment_of_the_school(world, validated):
    validated.state = "draft"
    with pytest.raises(ValidationError, match="validé"):
        services.create_plan(world.school_a, by=world.chef_a, first_year=YEAR, duration=1, assessment=validated)
    assert Plan.objects.count() == 0


def test_only_writers_write(world, plan, action):
    for person in (world.member_a, world.correspondant_40, world.dane, world.rupn_b):
        with pytest.raises(PermissionDenied):
            services.create_action(plan, by=person, title="x")
        with pytest.raises(PermissionDenied):
            services.update_action(action, by=person, seen_revision=action.revision, title="x")
        with pytest.raises(PermissionDenied):
            services.delete_action(action, by=person)
    with pytest.raises(PermissionDenied):
        services.adopt_plan(
            plan, by=world.rupn_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
        )
    assert Action.objects.get().title == "Réunir la commission numérique"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_on": datetime.date(2027, 3, 1), "due_on": datetime.date(2027, 1, 1)}, "suivre la date de début"),
        ({"responsible": "stranger"}, "membre de l'établissement"),
        ({"contributors": "stranger"}, "pas membres"),
        ({"objective": "other"}, "autre plan"),
        ({"indicators": "bundled"}, "pas dans le référentiel"),
    ],
)
def test_bad_action_input_writes_nothing(world, plan, validated, fields, message):
    stranger = world.rupn_b
    kwargs = dict(fields)
    if kwargs.get("responsible") == "stranger":
        kwargs["responsible"] = stranger
    if kwargs.get("contributors") == "stranger":
        kwargs["contributors"] = [world.member_a, stranger]
    if kwargs.get("objective") == "other":
        other_plan = services.create_plan(
            world.school_a, by=world.chef_a, first_year="2029-2030", duration=1, assessment=validated
        )
        kwargs["objective"] = services.save_objective(other_plan, by=world.chef_a, title="Ailleurs")
    if kwargs.get("indicators") == "bundled":
        kwargs["indicators"] = [indicator(load_referential(), "PIL.1.01")]
    before = Action.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.create_action(plan, by=world.rupn_a, title="Action", **kwargs)
    assert Action.objects.count() == before


def test_update_refuses_the_same_bad_input(world, plan, action):
    with pytest.raises(ValidationError, match="membre"):
        services.update_action(
            action, by=world.rupn_a, seen_revision=action.revision, title="x", responsible=world.rupn_b
        )
    with pytest.raises(ValidationError, match="date de début"):
        services.update_action(
            action,
            by=world.rupn_a,
            seen_revision=action.revision,
            title="x",
            starts_on=datetime.date(2027, 5, 1),
            due_on=datetime.date(2027, 4, 1),
        )
    action.refresh_from_db()
    assert action.title == "Réunir la commission numérique" and action.revision == 0


def test_a_stale_edit_is_refused_and_changes_nothing(world, plan, action):
    first = services.update_action(
        action, by=world.rupn_a, seen_revision=0, title="Première version", cost=Decimal("120")
    )
    assert first.revision == 1
    with pytest.raises(services.StaleAction, match="modifié cette action"):
        services.update_action(action, by=world.chef_a, seen_revision=0, title="Seconde version")
    action.refresh_from_db()
    assert action.title == "Première version" and action.cost == Decimal("120.00")
    changed = AuditEvent.objects.filter(action="action_changed").get()
    assert changed.before["title"] == "Réunir la commission numérique" and changed.after["title"] == "Première version"


def test_every_change_of_content_moves_the_plan_revision_and_a_status_does_not(world, plan, action):
    plan.refresh_from_db()
    start = plan.revision
    services.update_action(action, by=world.rupn_a, seen_revision=0, title="Autre titre")
    services.change_status(action, by=world.member_a, status=ActionStatus.IN_PROGRESS, note="Commencé")
    services.save_objective(plan, by=world.rupn_a, title="Objectif")
    plan.refresh_from_db()
    assert plan.revision == start + 2


def test_the_responsible_member_changes_the_status_with_a_note(world, plan, action):
    services.change_status(action, by=world.member_a, status=ActionStatus.IN_PROGRESS, note="Première réunion fixée")
    done = services.change_status(action, by=world.rupn_a, status=ActionStatus.DONE, note="Tenue", seen_revision=1)
    assert done.done_on == datetime.date.today()
    journal = list(
        ActionEvent.objects.filter(action=action)
        .order_by("pk")
        .values_list("status_before", "status_after", "note", "by_label")
    )
    assert journal[1:] == [
        ("todo", "in_progress", "Première réunion fixée", str(world.member_a)),
        ("in_progress", "done", "Tenue", str(world.rupn_a)),
    ]
    with pytest.raises(services.StaleAction):
        services.change_status(action, by=world.rupn_a, status=ActionStatus.TODO, seen_revision=0)
    with pytest.raises(PermissionDenied):
        services.change_status(action, by=world.correspondant_40, status="todo")


def test_objective_targets_are_of_the_plan(world, plan, mini_referential):
    pil = indicator(mini_referential, "PIL.1.02")
    with pytest.raises(ValidationError, match="année du plan"):
        services.save_objective(plan, by=world.rupn_a, title="O", targets=[(pil, "realise", "2030-2031")])
    with pytest.raises(ValidationError, match="état visé"):
        services.save_objective(plan, by=world.rupn_a, title="O", targets=[(pil, "non_realise", YEAR)])
    with pytest.raises(ValidationError, match="référentiel"):
        services.save_objective(
            plan, by=world.rupn_a, title="O", targets=[(indicator(load_referential(), "PIL.1.01"), "realise", YEAR)]
        )
    assert not plan.objectives.exists()
    objective = services.save_objective(plan, by=world.rupn_a, title="O", targets=[(pil, "realise", "2027-2028")])
    assert [(t.indicator.code, t.by_year) for t in objective.targets.all()] == [("PIL.1.02", "2027-2028")]
    # Shortening the plan would leave that target outside its years.
    with pytest.raises(ValidationError, match="PIL.1.02"):
        services.change_plan(plan, by=world.rupn_a, title="Plan", first_year=YEAR, duration=1)


def test_prepare_creates_the_plan_and_an_action_per_priority(world, validated, mini_referential):
    pil2 = indicator(mini_referential, "PIL.2.01")
    inf = indicator(mini_referential, "INF.1.01")
    suggestion = SuggestedAction.objects.create(
        indicator_code="PIL.2.01",
        title="Installer la commission numérique",
        means="Deux heures",
        success_criteria="Trois réunions",
    )
    plan = services.prepare_plan(
        world.school_a,
        by=world.rupn_a,
        assessment=validated,
        priorities=[(pil2, suggestion), (inf, None)],
        first_year=YEAR,
        duration=2,
        title="Plan numérique",
    )
    actions = list(plan.actions.order_by("position"))
    assert [a.title for a in actions] == ["Installer la commission numérique", f"INF.1.01 — {inf.statement}"]
    assert actions[0].means == "Deux heures" and actions[0].suggestion == suggestion
    assert [list(a.indicators.values_list("code", flat=True)) for a in actions] == [["PIL.2.01"], ["INF.1.01"]]
    assert plan.title == "Plan numérique" and plan.last_year == "2027-2028"


def test_adoption_keeps_the_version_as_it_was(world, plan, action):
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="futur"):
        services.adopt_plan(
            plan,
            by=world.chef_a,
            body="board",
            adopted_on=datetime.date.today() + datetime.timedelta(days=1),
            seen_revision=plan.revision,
        )
    with pytest.raises(ValidationError, match="trop ancienne"):
        services.adopt_plan(
            plan, by=world.chef_a, body="board", adopted_on=datetime.date(2020, 1, 1), seen_revision=plan.revision
        )
    with pytest.raises(services.StalePlan):
        services.adopt_plan(
            plan, by=world.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision - 1
        )
    assert not PlanVersion.objects.exists()
    version = services.adopt_plan(
        plan, by=world.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
    )
    plan.refresh_from_db()
    assert version.number == 1 and plan.adopted_revision == plan.revision and not plan.changed_since_adoption
    snapshot = dict(version.snapshot)
    assert snapshot["actions"][0]["title"] == "Réunir la commission numérique"
    assert snapshot["actions"][0]["responsible"] == str(world.member_a)
    services.update_action(action, by=world.rupn_a, seen_revision=0, title="Changée après l'adoption")
    plan.refresh_from_db()
    version.refresh_from_db()
    assert plan.changed_since_adoption
    assert version.snapshot == snapshot
    second = services.adopt_plan(
        plan,
        by=world.adjoint_a,
        body="pedagogical_council",
        adopted_on=datetime.date.today(),
        seen_revision=plan.revision,
    )
    assert second.number == 2 and second.snapshot["actions"][0]["title"] == "Changée après l'adoption"
    assert AuditEvent.objects.filter(action="plan_adopted").count() == 2


def test_carry_over_goes_through_the_journal(world, plan, action):
    with pytest.raises(ValidationError, match="nouvelle échéance"):
        services.postpone_action(action, by=world.rupn_a, due_on=None, note="x")
    with pytest.raises(ValidationError, match="note"):
        services.abandon_action(action, by=world.rupn_a, note=" ")
    new_due = datetime.date.today() + datetime.timedelta(days=90)
    postponed = services.postpone_action(action, by=world.rupn_a, due_on=new_due, note="Reportée à l'an prochain")
    assert postponed.status == ActionStatus.POSTPONED and Action.objects.get().due_on == new_due
    assert ActionEvent.objects.filter(action=action, status_after="postponed", note="Reportée à l'an prochain").exists()
    with pytest.raises(PermissionDenied):
        services.abandon_action(action, by=world.member_a, note="Non")


def test_deleting_an_action_takes_its_journal(world, plan, action):
    services.delete_action(action, by=world.chef_a)
    assert not Action.objects.exists() and not ActionEvent.objects.exists()
    event = AuditEvent.objects.get(action="action_deleted")
    assert event.before["title"] == "Réunir la commission numérique"


def test_contributors_must_be_members(world, plan):
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, school=SchoolFactory(department=world.landes))
    with pytest.raises(ValidationError, match="outsider|pas membres"):
        services.create_action(plan, by=world.rupn_a, title="x", contributors=[outsider])
    action = services.create_action(plan, by=world.rupn_a, title="x", contributors=[world.member_a, world.chef_a])
    assert set(action.contributors.all()) == {world.member_a, world.chef_a}


def test_following_an_action_does_not_change_the_adopted_plan_but_postponing_it_does(world, validated):
    """A status is follow-up (the plan stays as adopted); a new due date is what the plan says."""
    plan = services.create_plan(world.school_a, by=world.rupn_a, first_year=YEAR, duration=2, assessment=validated)
    action = services.create_action(plan, by=world.rupn_a, title="Former l'équipe", due_on=datetime.date.today())
    plan.refresh_from_db()
    services.adopt_plan(
        plan, by=world.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
    )
    services.change_status(action, by=world.rupn_a, status="in_progress", note="Commencée")
    plan.refresh_from_db()
    assert plan.is_adopted and not plan.changed_since_adoption
    services.postpone_action(
        action, by=world.rupn_a, due_on=datetime.date.today() + datetime.timedelta(days=30), note="Reportée"
    )
    plan.refresh_from_db()
    assert plan.changed_since_adoption
