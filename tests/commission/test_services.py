import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import AnswerChange, Campaign
from pilotis.commission import services
from pilotis.commission.enums import MeetingState
from pilotis.commission.models import AgendaItem, Attendance, CommissionMember, Decision, Meeting
from pilotis.core.models import AuditEvent
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import ActionEvent, Plan
from pilotis.plans.services import create_action
from pilotis.referential.models import Indicator
from tests.commission.conftest import hold, meeting_at

TODAY = timezone.localdate()


def test_a_member_with_an_account_takes_its_name(world):
    member = services.add_member(
        world.school_a, by=world.rupn_a, user=world.member_a, group="teachers", from_date=TODAY
    )
    assert member.name == str(world.member_a) and member.email == ""
    assert services.member_email(member) == world.member_a.email
    assert AuditEvent.objects.filter(action="commission_changed").exists()


def test_a_member_must_be_a_person_of_the_school(world):
    with pytest.raises(ValidationError, match="n'est pas membre de l'établissement"):
        services.add_member(world.school_a, by=world.chef_a, user=world.rupn_b, group="teachers", from_date=TODAY)
    assert not CommissionMember.objects.exists()


def test_an_end_before_the_start_is_refused(world):
    with pytest.raises(ValidationError, match="date de fin"):
        services.add_member(
            world.school_a,
            by=world.chef_a,
            name="X",
            group="parents",
            from_date=TODAY,
            to_date=TODAY - datetime.timedelta(days=1),
        )
    assert not CommissionMember.objects.exists()


def test_only_writers_manage_members(world):
    with pytest.raises(PermissionDenied):
        services.add_member(world.school_a, by=world.member_a, name="X", group="parents", from_date=TODAY)
    with pytest.raises(PermissionDenied):
        services.add_member(world.school_a, by=world.correspondant_40, name="X", group="parents", from_date=TODAY)


def test_a_member_who_attended_cannot_be_deleted_but_may_leave(world, members):
    meeting = meeting_at(world, -2)
    hold(meeting, world.chef_a, attendance={members[1].pk: "present"})
    with pytest.raises(ValidationError, match="fin de sa participation"):
        services.delete_member(members[1], by=world.chef_a)
    services.change_member(members[1], by=world.chef_a, group="parents", from_date=members[1].from_date, to_date=TODAY)
    members[1].refresh_from_db()
    assert members[1].to_date == TODAY
    services.delete_member(members[2], by=world.chef_a)
    assert not CommissionMember.objects.filter(pk=members[2].pk).exists()


def test_a_new_meeting_follows_the_plan(world, plan, mini_campaign):
    indicator = Indicator.objects.get(version=mini_campaign.referential, code="PIL.1.01")
    overdue = create_action(plan, by=world.chef_a, title="Équiper le CDI", due_on=TODAY - datetime.timedelta(days=5))
    soon = create_action(plan, by=world.chef_a, title="Former l'équipe", due_on=TODAY + datetime.timedelta(days=20))
    create_action(plan, by=world.chef_a, title="Plus tard", due_on=TODAY + datetime.timedelta(days=200))
    create_action(
        plan, by=world.chef_a, title="Déjà faite", status=ActionStatus.DONE, due_on=TODAY - datetime.timedelta(days=9)
    )
    assessment_services.save_answer(
        mini_campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a
    )
    meeting = meeting_at(world, 7)
    (item,) = meeting.items.all()
    assert item.title == "Suivi du plan"
    assert set(item.actions.all()) == {overdue, soon}
    assert list(item.indicators.all()) == [indicator]
    assert "Équiper le CDI" in item.notes and "en retard" in item.notes and "Plus tard" not in item.notes
    assert "PIL.1.01" in item.notes


def test_indicators_changed_before_the_last_meeting_are_not_listed_again(world, mini_campaign):
    indicator = Indicator.objects.get(version=mini_campaign.referential, code="PIL.1.01")
    assessment_services.save_answer(
        mini_campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a
    )
    AnswerChange.objects.update(changed_at=timezone.now() - datetime.timedelta(days=3))
    meeting_at(world, -1)
    later = meeting_at(world, 7)
    assert not later.items.get().indicators.exists()
    assert "Aucune réponse" in later.items.get().notes


def test_answers_of_another_school_years_self_assessment_are_not_this_years_news(world, mini_campaign):
    """Last year's answers, given after last year's last meeting, are not listed at this year's."""
    last_year = Campaign.objects.create(
        academy=mini_campaign.academy,
        school_year="2025-2026",
        referential=mini_campaign.referential,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2026, 6, 30),
    )
    indicator = Indicator.objects.get(version=mini_campaign.referential, code="PIL.1.01")
    assessment_services.save_answer(last_year, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    meeting = meeting_at(world, 7)
    assert not meeting.items.get().indicators.exists()
    assert "Aucune réponse" in meeting.items.get().notes


def _items(world, **kwargs):
    return [services.ItemInput(title="Point", **kwargs)]


def _update(meeting, by, items, seen_revision=None):
    return services.update_meeting(
        meeting,
        by=by,
        seen_revision=seen_revision,
        starts_at=meeting.starts_at,
        ends_at=None,
        place="CDI",
        visio_url="",
        items=items,
    )


def test_an_item_may_not_point_to_another_schools_action(world, mini_campaign):
    other = Plan.objects.create(
        school=world.school_b, referential=mini_campaign.referential, first_year="2026-2027", last_year="2026-2027"
    )
    foreign = create_action(other, by=world.rupn_b, title="Action de B")
    meeting = meeting_at(world, 7)
    with pytest.raises(ValidationError, match="n'est pas du plan de l'établissement"):
        _update(meeting, world.chef_a, _items(world, actions=[foreign]))
    assert meeting.items.get().title == "Suivi du plan"


def test_an_item_may_not_point_outside_the_referential(world, mini_campaign, referential):
    outside = Indicator.objects.exclude(version=mini_campaign.referential).first()
    meeting = meeting_at(world, 7)
    with pytest.raises(ValidationError, match="pas dans le référentiel"):
        _update(meeting, world.chef_a, _items(world, indicators=[outside]))
    assert meeting.items.count() == 1


def test_the_second_editor_is_told(world):
    meeting = meeting_at(world, 7)
    seen = meeting.revision
    _update(meeting, world.chef_a, _items(world), seen_revision=seen)
    with pytest.raises(services.StaleMeeting):
        _update(meeting, world.rupn_a, [services.ItemInput(title="Autre")], seen_revision=seen)
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Point"]


def test_validated_minutes_are_locked_until_reopened(world, members):
    meeting = hold(meeting_at(world, -1), world.rupn_a, attendance={members[0].pk: "present"})
    with pytest.raises(PermissionDenied):
        services.validate_minutes(meeting, by=world.rupn_a)
    meeting = services.validate_minutes(meeting, by=world.chef_a)
    assert meeting.state == MeetingState.VALIDATED and meeting.validated_by_label == str(world.chef_a)
    before = (
        meeting.revision,
        list(Decision.objects.values_list("text")),
        list(Attendance.objects.values_list("presence")),
    )
    for by in (world.chef_a, world.rupn_a):
        with pytest.raises(services.MinutesLocked):
            _update(meeting, by, _items(world))
        with pytest.raises(services.MinutesLocked):
            hold(meeting, by, decisions=["Autre"])
        with pytest.raises(ValidationError):
            services.delete_meeting(meeting, by=by)
        with pytest.raises(ValidationError):
            services.convene(meeting, by=by)
    meeting.refresh_from_db()
    assert (
        meeting.revision,
        list(Decision.objects.values_list("text")),
        list(Attendance.objects.values_list("presence")),
    ) == before
    with pytest.raises(PermissionDenied):
        services.reopen_minutes(meeting, by=world.rupn_a)
    services.reopen_minutes(meeting, by=world.adjoint_a)
    assert AuditEvent.objects.filter(action="minutes_reopened").exists()
    assert AuditEvent.objects.filter(action="minutes_validated").exists()
    hold(meeting, world.rupn_a, decisions=["Autre"])
    assert list(Decision.objects.values_list("text", flat=True)) == ["Autre"]


def test_a_future_meeting_cannot_be_validated(world):
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.validate_minutes(meeting_at(world, 3), by=world.chef_a)


def test_only_a_planned_meeting_without_minutes_is_deleted(world):
    held = hold(meeting_at(world, -1), world.chef_a)
    with pytest.raises(ValidationError, match="Seule une réunion prévue"):
        services.delete_meeting(held, by=world.chef_a)
    planned = meeting_at(world, 5)
    services.delete_meeting(planned, by=world.rupn_a)
    assert list(Meeting.objects.all()) == [held]
    assert AuditEvent.objects.filter(action="meeting_deleted").exists()


def test_a_decision_becomes_an_action_of_the_plan(world, plan):
    meeting = hold(meeting_at(world, -1), world.chef_a, decisions=["Équiper la salle 12\nAvec la collectivité"])
    decision = meeting.decisions.get()
    action = services.decision_to_action(decision, by=world.rupn_a)
    decision.refresh_from_db()
    assert decision.action == action and action.plan == plan and action.title == "Équiper la salle 12"
    assert "Avec la collectivité" in action.description
    (event,) = ActionEvent.objects.filter(action=action)
    assert event.note.startswith("Décidée en commission numérique le ")
    with pytest.raises(ValidationError, match="déjà une action"):
        services.decision_to_action(decision, by=world.rupn_a)


def test_without_a_plan_a_decision_says_so(world):
    meeting = hold(meeting_at(world, -1), world.chef_a)
    with pytest.raises(ValidationError, match="pas encore de plan"):
        services.decision_to_action(meeting.decisions.get(), by=world.chef_a)
    assert meeting.decisions.get().action is None


def test_attendance_of_someone_outside_the_commission_is_refused(world, members):
    meeting = meeting_at(world, -1)
    stranger = services.add_member(world.school_b, by=world.rupn_b, name="B", group="parents", from_date=TODAY)
    with pytest.raises(ValidationError, match="pas membre de la commission"):
        hold(meeting, world.chef_a, attendance={stranger.pk: "present"})
    assert not Attendance.objects.exists()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
