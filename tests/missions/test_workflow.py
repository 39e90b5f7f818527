"""The lettre de mission's life, and its forbidden moves, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.missions import services
from pilotis.missions.enums import LetterState
from pilotis.missions.models import Designation, MissionLetter
from pilotis.missions.services import school_year_bounds
from tests.missions.conftest import FIRST_DAY, IMP, LAST_DAY, NEXT_YEAR, YEAR, fill


def test_the_whole_life_of_a_letter(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    assert letter.state == LetterState.PROPOSED and letter.proposed_by == world.chef_a
    letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    assert letter.state == LetterState.ACCEPTED
    assert letter.accepted_by == world.rupn_a and letter.accepted_at is not None
    letter = services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert letter.state == LetterState.SIGNED
    assert letter.signed_by == world.chef_a and letter.signed_at >= letter.accepted_at
    day = datetime.date.today()
    letter = services.record_presentations(
        letter, pedagogical_council_on=day, board_on=day, by=world.chef_a, seen_revision=letter.revision
    )
    assert letter.presented_board_on == day
    actions = set(AuditEvent.objects.filter(object_id=str(letter.pk)).values_list("action", flat=True))
    assert {AuditAction.LETTER_PROPOSED, AuditAction.LETTER_ACCEPTED, AuditAction.LETTER_SIGNED} <= actions


def test_a_rupn_cannot_sign_for_the_chef(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    with pytest.raises(PermissionDenied):
        services.sign_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.ACCEPTED


def test_the_direction_cannot_accept_in_the_rupns_place(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    for intruder in (world.chef_a, world.adjoint_a, world.member_a):
        with pytest.raises(PermissionDenied):
            services.accept_letter(letter, by=intruder, seen_revision=letter.revision)
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.PROPOSED


def test_a_letter_is_signed_only_once_accepted(world, draft):
    with pytest.raises(ValidationError):
        services.sign_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    with pytest.raises(ValidationError):
        services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)


def test_a_signed_letter_cannot_be_edited(world, signed):
    with pytest.raises(ValidationError):
        fill(signed, world.chef_a)
    with pytest.raises(ValidationError):
        services.propose_letter(signed, by=world.chef_a, seen_revision=signed.revision)
    assert MissionLetter.objects.get(pk=signed.pk).means_time == "Une heure par semaine"


def test_a_signed_letter_is_superseded_by_a_new_signed_one(world, signed):
    new = services.supersede_letter(signed, by=world.chef_a, seen_revision=signed.revision)
    assert new.state == LetterState.DRAFT and new.supersedes == signed
    assert list(new.missions.values_list("text", flat=True)) == list(signed.missions.values_list("text", flat=True))
    assert set(new.indicators.all()) == set(signed.indicators.all())
    with pytest.raises(ValidationError):  # one new version at a time
        services.supersede_letter(signed, by=world.chef_a, seen_revision=None)
    new = services.propose_letter(new, by=world.chef_a, seen_revision=new.revision)
    new = services.accept_letter(new, by=world.rupn_a, seen_revision=new.revision)
    assert MissionLetter.objects.get(pk=signed.pk).state == LetterState.SIGNED  # still in force until then
    services.sign_letter(new, by=world.chef_a, seen_revision=new.revision)
    assert MissionLetter.objects.get(pk=signed.pk).state == LetterState.SUPERSEDED


def test_sent_back_with_a_comment_then_proposed_again(world, draft, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    assert mailoutbox[-1].to == [world.rupn_a.email]
    with pytest.raises(ValidationError):
        services.send_back_letter(letter, by=world.rupn_a, comment="  ", seen_revision=letter.revision)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.send_back_letter(
            letter, by=world.rupn_a, comment="Trop de missions", seen_revision=letter.revision
        )
    assert letter.state == LetterState.RETURNED and letter.returned_comment == "Trop de missions"
    assert "Trop de missions" in mailoutbox[-1].body
    letter = fill(letter, world.chef_a)
    letter = services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert letter.state == LetterState.PROPOSED


def test_a_stale_page_cannot_accept_a_letter_changed_since(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    seen_by_rupn = letter.revision
    letter = services.withdraw_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    letter = fill(letter, world.chef_a)
    letter = services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    with pytest.raises(services.StaleLetter):
        services.accept_letter(letter, by=world.rupn_a, seen_revision=seen_by_rupn)
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.PROPOSED


def test_proposing_needs_a_mission(world, designation):
    letter = services.start_letter(designation, by=world.chef_a)
    with pytest.raises(ValidationError):
        services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)


def test_next_years_letter_starts_from_this_years(world, signed):
    next_year = services.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=NEXT_YEAR,
        starts_on=school_year_bounds(NEXT_YEAR)[0],
        ends_on=school_year_bounds(NEXT_YEAR)[1],
        imp_amount=Decimal("2500.00"),
        by=world.chef_a,
    )
    letter = services.start_letter(next_year, by=world.chef_a)
    assert letter.started_from == signed and letter.state == LetterState.DRAFT
    assert letter.means_time == signed.means_time and letter.imp_amount == Decimal("2500.00")
    assert sorted(letter.missions.values_list("text", "priority")) == sorted(
        signed.missions.values_list("text", "priority")
    )
    assert set(letter.indicators.values_list("code", flat=True)) == set(
        signed.indicators.values_list("code", flat=True)
    )


def test_designating_a_member_makes_them_rupn_and_ending_it_undoes_it(world):
    designation = services.designate(
        world.school_a,
        user=world.member_a,
        school_year=YEAR,
        starts_on=FIRST_DAY,
        ends_on=LAST_DAY,
        imp_amount=IMP,
        by=world.chef_a,
    )
    assert SchoolMembership.objects.get(user=world.member_a, school=world.school_a).role == SchoolRole.RUPN
    services.end_designation(designation, on=datetime.date.today(), by=world.chef_a)
    assert SchoolMembership.objects.get(user=world.member_a, school=world.school_a).role == SchoolRole.MEMBRE
    assert Designation.objects.get(pk=designation.pk).ended_early


def test_the_direction_cannot_be_designated(world):
    with pytest.raises(ValidationError):
        services.designate(
            world.school_a,
            user=world.adjoint_a,
            school_year=YEAR,
            starts_on=FIRST_DAY,
            ends_on=LAST_DAY,
            imp_amount=IMP,
            by=world.chef_a,
        )


def test_designating_someone_new_invites_them(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        designation = services.designate(
            world.school_a,
            email="nouveau.rupn@example.org",
            first_name="Nora",
            last_name="Nouvelle",
            school_year=YEAR,
            starts_on=FIRST_DAY,
            ends_on=LAST_DAY,
            imp_amount=IMP,
            by=world.chef_a,
        )
    assert SchoolMembership.objects.get(user=designation.user, school=world.school_a).role == SchoolRole.RUPN
    assert mailoutbox[-1].to == ["nouveau.rupn@example.org"]


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "imp"),
    [
        (FIRST_DAY - datetime.timedelta(days=1), LAST_DAY, IMP),  # before the school year
        (FIRST_DAY + datetime.timedelta(days=90), FIRST_DAY + datetime.timedelta(days=60), IMP),  # ends before
        (FIRST_DAY, LAST_DAY, Decimal("999.99")),  # not an official rate
    ],
)
def test_bad_designations_are_refused_and_write_nothing(world, starts_on, ends_on, imp):
    with pytest.raises(ValidationError):
        services.designate(
            world.school_a,
            user=world.member_a,
            school_year=YEAR,
            starts_on=starts_on,
            ends_on=ends_on,
            imp_amount=imp,
            by=world.chef_a,
        )
    assert not Designation.objects.exists()
    assert SchoolMembership.objects.get(user=world.member_a, school=world.school_a).role == SchoolRole.MEMBRE


def test_every_imp_change_is_audited(world, designation):
    services.change_designation(
        designation,
        starts_on=designation.starts_on,
        ends_on=designation.ends_on,
        imp_amount=Decimal("2500.00"),
        by=world.chef_a,
    )
    rows = AuditEvent.objects.filter(action=AuditAction.IMP_CHANGED, object_id=str(designation.pk)).order_by("pk")
    assert [(r.before, r.after) for r in rows] == [
        (None, {"imp": "1250.00"}),
        ({"imp": "1250.00"}, {"imp": "2500.00"}),
    ]
    assert rows[1].actor == world.chef_a


def test_a_signed_letter_keeps_its_imp_when_the_designation_changes(world, signed):
    services.change_designation(
        signed.designation,
        starts_on=signed.designation.starts_on,
        ends_on=signed.designation.ends_on,
        imp_amount=Decimal("625.00"),
        by=world.chef_a,
    )
    assert MissionLetter.objects.get(pk=signed.pk).imp_amount == IMP


def test_the_catalogue_text_changing_does_not_change_a_letter(world, signed):
    mission = signed.missions.first()
    services.change_catalogue_entry(
        mission.entry,
        heading=mission.heading,
        function=mission.function,
        text="Autre texte",
        is_active=True,
        by=world.dane,
    )
    assert signed.missions.get(pk=mission.pk).text != "Autre texte"
