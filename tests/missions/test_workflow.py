"""The lettre de mission's life, and its forbidden moves, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.missions import services
from pilotis.missions.enums import LetterState
from pilotis.missions.models import Designation, LetterMission, MissionLetter
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
        services.update_letter(
            signed,
            fields={"means_time": "Deux heures par semaine"},
            missions=[],
            indicators=[],
            seen_revision=signed.revision,
            by=world.chef_a,
        )
    with pytest.raises(ValidationError):
        services.propose_letter(signed, by=world.chef_a, seen_revision=signed.revision)
    letter = MissionLetter.objects.get(pk=signed.pk)
    assert letter.means_time == "Une heure par semaine" and letter.missions.count() == 3


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


# --- The designation's terms change under a letter ------------------------------------------------


def accepted_letter(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    return services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)


def change_terms(designation, by, *, starts_on=None, imp_amount=None):
    return services.change_designation(
        designation,
        starts_on=starts_on or designation.starts_on,
        ends_on=designation.ends_on,
        imp_amount=imp_amount or designation.imp_amount,
        by=by,
    )


def test_an_imp_changed_after_acceptance_is_never_signed_without_a_new_acceptance(world, draft):
    letter = accepted_letter(world, draft)
    change_terms(letter.designation, world.chef_a, imp_amount=Decimal("312.50"))
    letter = MissionLetter.objects.get(pk=letter.pk)
    assert letter.state == LetterState.DRAFT and letter.imp_amount == Decimal("312.50")
    assert letter.accepted_at is None and letter.accepted_by is None and letter.accepted_by_label == ""
    assert letter.designation_changed_at is not None
    with pytest.raises(ValidationError):
        services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.DRAFT
    back = AuditEvent.objects.filter(action=AuditAction.LETTER_WITHDRAWN, object_id=str(letter.pk)).get()
    assert (back.before, back.after, back.actor) == (
        {"state": LetterState.ACCEPTED},
        {"state": LetterState.DRAFT, "reason": "designation_changed"},
        world.chef_a,
    )
    # Proposed and accepted again, on the new amount: then it is signed with it.
    letter = accepted_letter(world, letter)
    assert letter.designation_changed_at is None
    letter = services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert letter.state == LetterState.SIGNED and letter.imp_amount == Decimal("312.50")


def test_a_period_changed_while_proposed_sends_the_letter_back_to_draft(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    seen_by_rupn = letter.revision
    later = FIRST_DAY + datetime.timedelta(days=30)
    change_terms(letter.designation, world.chef_a, starts_on=later)
    letter = MissionLetter.objects.get(pk=letter.pk)
    assert letter.state == LetterState.DRAFT and letter.period == (later, LAST_DAY)
    with pytest.raises(ValidationError):  # the RUPN's page showed the old terms
        services.accept_letter(letter, by=world.rupn_a, seen_revision=seen_by_rupn)
    with pytest.raises(ValidationError):
        services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.DRAFT


def test_a_draft_follows_the_designation_and_stays_a_draft(world, draft):
    later = FIRST_DAY + datetime.timedelta(days=30)
    change_terms(draft.designation, world.chef_a, starts_on=later, imp_amount=Decimal("2500.00"))
    letter = MissionLetter.objects.get(pk=draft.pk)
    assert letter.state == LetterState.DRAFT and letter.designation_changed_at is None
    assert (letter.period, letter.imp_amount) == ((later, LAST_DAY), Decimal("2500.00"))
    assert not AuditEvent.objects.filter(action=AuditAction.LETTER_WITHDRAWN).exists()


def test_the_letter_keeps_the_period_it_was_signed_with(world, signed):
    assert (signed.starts_on, signed.ends_on) == (FIRST_DAY, LAST_DAY)
    change_terms(signed.designation, world.chef_a, starts_on=FIRST_DAY + datetime.timedelta(days=30))
    letter = MissionLetter.objects.get(pk=signed.pk)
    assert letter.state == LetterState.SIGNED and letter.period == (FIRST_DAY, LAST_DAY)
    signature = AuditEvent.objects.get(action=AuditAction.LETTER_SIGNED, object_id=str(signed.pk))
    assert (signature.after["starts_on"], signature.after["ends_on"]) == (FIRST_DAY.isoformat(), LAST_DAY.isoformat())


def test_a_new_version_takes_the_designations_current_terms(world, signed):
    later = FIRST_DAY + datetime.timedelta(days=30)
    change_terms(signed.designation, world.chef_a, starts_on=later, imp_amount=Decimal("625.00"))
    new = services.supersede_letter(signed, by=world.chef_a, seen_revision=signed.revision)
    assert (new.period, new.imp_amount) == ((later, LAST_DAY), Decimal("625.00"))


# --- A designation ended during the year --------------------------------------------------------------


def end_today(designation, by):
    return services.end_designation(designation, on=datetime.date.today(), by=by)


def test_a_letter_of_an_ended_designation_cannot_be_proposed(world, draft):
    end_today(draft.designation, world.chef_a)
    with pytest.raises(ValidationError, match="a pris fin"):
        services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    assert MissionLetter.objects.get(pk=draft.pk).state == LetterState.DRAFT


def test_a_letter_of_an_ended_designation_cannot_be_accepted(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    end_today(letter.designation, world.chef_a)
    with pytest.raises(ValidationError, match="ne peut plus être proposée, acceptée ni signée"):
        services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.PROPOSED


def test_a_letter_of_an_ended_designation_cannot_be_signed(world, draft):
    letter = accepted_letter(world, draft)
    end_today(letter.designation, world.chef_a)
    with pytest.raises(ValidationError, match="a pris fin"):
        services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.ACCEPTED


def test_an_ended_designation_takes_no_new_letter(world, designation, client_for):
    end_today(designation, world.chef_a)
    with pytest.raises(ValidationError, match="a pris fin"):
        services.start_letter(designation, by=world.chef_a)
    assert not MissionLetter.objects.filter(designation=designation).exists()
    # Through the page: told why, sent back to the school's mission page, nothing written.
    url = reverse("missions:letter_start", args=[world.school_a.uai, designation.pk])
    response = client_for("chef_a").post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("missions:school", args=[world.school_a.uai])
    assert "a pris fin" in response.content.decode()
    assert not MissionLetter.objects.filter(designation=designation).exists()


def test_a_signed_letter_of_an_ended_designation_is_not_superseded(world, draft):
    letter = accepted_letter(world, draft)
    signed = services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    end_today(signed.designation, world.chef_a)
    with pytest.raises(ValidationError, match="a pris fin"):
        services.supersede_letter(signed, by=world.chef_a, seen_revision=signed.revision)
    assert MissionLetter.objects.filter(designation=signed.designation).count() == 1


# --- Forbidden moves ------------------------------------------------------------------------------


def assert_unchanged(letter):
    """The letter as the database holds it is the one given: same state, same revision."""
    stored = MissionLetter.objects.get(pk=letter.pk)
    assert (stored.state, stored.revision) == (letter.state, letter.revision)


def test_a_draft_cannot_be_accepted(world, draft):
    with pytest.raises(ValidationError):
        services.accept_letter(draft, by=world.rupn_a, seen_revision=draft.revision)
    assert_unchanged(draft)


def test_a_withdrawn_letter_cannot_be_accepted(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    letter = services.withdraw_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert letter.state == LetterState.DRAFT
    with pytest.raises(ValidationError):
        services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    assert_unchanged(letter)


def test_an_accepted_letter_cannot_be_sent_back(world, draft):
    letter = accepted_letter(world, draft)
    with pytest.raises(ValidationError):
        services.send_back_letter(letter, by=world.rupn_a, comment="Trop tard", seen_revision=letter.revision)
    assert_unchanged(letter)
    assert MissionLetter.objects.get(pk=letter.pk).returned_comment == ""


def test_a_letter_is_signed_once(world, signed):
    with pytest.raises(ValidationError):
        services.sign_letter(signed, by=world.adjoint_a, seen_revision=signed.revision)
    assert_unchanged(signed)
    assert MissionLetter.objects.get(pk=signed.pk).signed_by == world.chef_a
    assert AuditEvent.objects.filter(action=AuditAction.LETTER_SIGNED).count() == 1


@pytest.mark.parametrize("step", ["draft", "proposed", "accepted"])
def test_only_a_signed_letter_is_superseded(world, draft, step):
    letter = draft
    if step != "draft":
        letter = services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    if step == "accepted":
        letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    with pytest.raises(ValidationError):
        services.supersede_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert_unchanged(letter)
    assert MissionLetter.objects.count() == 1


@pytest.mark.parametrize("step", ["draft", "proposed", "accepted"])
def test_presentations_wait_for_the_signature(world, draft, step):
    letter = draft
    if step != "draft":
        letter = services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    if step == "accepted":
        letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    day = datetime.date.today()
    with pytest.raises(ValidationError):
        services.record_presentations(
            letter, pedagogical_council_on=day, board_on=day, by=world.chef_a, seen_revision=letter.revision
        )
    assert_unchanged(letter)
    assert MissionLetter.objects.get(pk=letter.pk).presented_board_on is None


# --- Presentations to the councils -------------------------------------------------------------------


def present(letter, by, *, council, board):
    return services.record_presentations(
        letter, pedagogical_council_on=council, board_on=board, by=by, seen_revision=letter.revision
    )


def test_presentations_are_journaled(world, signed):
    day = datetime.date.today()
    letter = present(signed, world.chef_a, council=day, board=None)
    letter = present(letter, world.adjoint_a, council=day, board=day + datetime.timedelta(days=7))
    rows = AuditEvent.objects.filter(action=AuditAction.LETTER_PRESENTED, object_id=str(signed.pk)).order_by("pk")
    keys = ("presented_pedagogical_council_on", "presented_board_on")
    assert [(r.actor, r.before, r.after) for r in rows] == [
        (world.chef_a, dict.fromkeys(keys), {keys[0]: day.isoformat(), keys[1]: None}),
        (
            world.adjoint_a,
            {keys[0]: day.isoformat(), keys[1]: None},
            {keys[0]: day.isoformat(), keys[1]: (day + datetime.timedelta(days=7)).isoformat()},
        ),
    ]


def test_a_presentation_date_is_corrected_never_cleared(world, signed):
    day = datetime.date.today()
    letter = present(signed, world.chef_a, council=day, board=day)
    for council, board in ((None, day), (day, None), (None, None)):
        with pytest.raises(ValidationError, match="pas effacée"):
            present(letter, world.chef_a, council=council, board=board)
    stored = MissionLetter.objects.get(pk=signed.pk)
    assert (stored.presented_pedagogical_council_on, stored.presented_board_on) == (day, day)
    later = day + datetime.timedelta(days=3)
    letter = present(letter, world.chef_a, council=later, board=day)
    assert MissionLetter.objects.get(pk=signed.pk).presented_pedagogical_council_on == later
    assert AuditEvent.objects.filter(action=AuditAction.LETTER_PRESENTED).count() == 2


# --- Only the direction writes a letter ----------------------------------------------------------------


def letter_rows():
    return list(MissionLetter.objects.order_by("pk").values()), list(LetterMission.objects.order_by("pk").values())


@pytest.mark.parametrize("intruder", ["member_a", "rupn_a", "rupn_b", "dane"])
def test_only_the_direction_starts_a_letter(world, designation, intruder):
    with pytest.raises(PermissionDenied):
        services.start_letter(designation, by=getattr(world, intruder))
    assert not MissionLetter.objects.exists()


@pytest.mark.parametrize("intruder", ["member_a", "rupn_a", "rupn_b", "dane"])
def test_only_the_direction_writes_a_letters_content(world, draft, intruder):
    before = letter_rows()
    with pytest.raises(PermissionDenied):
        services.update_letter(
            draft,
            fields={"free_text": "Écrit par quelqu'un d'autre"},
            missions=[],
            indicators=[],
            seen_revision=draft.revision,
            by=getattr(world, intruder),
        )
    assert letter_rows() == before


@pytest.mark.parametrize("intruder", ["member_a", "rupn_a", "rupn_b", "dane"])
def test_only_the_direction_prepares_a_new_version(world, signed, intruder):
    before = letter_rows()
    with pytest.raises(PermissionDenied):
        services.supersede_letter(signed, by=getattr(world, intruder), seen_revision=signed.revision)
    assert letter_rows() == before


@pytest.mark.parametrize("intruder", ["member_a", "rupn_a", "dane"])
def test_only_the_direction_designates_changes_and_ends(world, designation, intruder):
    who = getattr(world, intruder)
    before = list(Designation.objects.values())
    with pytest.raises(PermissionDenied):
        services.designate(
            world.school_a,
            user=world.member_a,
            school_year=NEXT_YEAR,
            starts_on=school_year_bounds(NEXT_YEAR)[0],
            ends_on=school_year_bounds(NEXT_YEAR)[1],
            imp_amount=IMP,
            by=who,
        )
    with pytest.raises(PermissionDenied):
        change_terms(designation, who, imp_amount=Decimal("3750.00"))
    with pytest.raises(PermissionDenied):
        end_today(designation, who)
    assert list(Designation.objects.values()) == before
    assert SchoolMembership.objects.get(user=world.member_a, school=world.school_a).role == SchoolRole.MEMBRE
