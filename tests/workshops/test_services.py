import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.workshops import services
from pilotis.workshops.models import Participant, Workshop
from tests.workshops.conftest import a_past_day, data, record, today


def test_recording_a_session_writes_it_its_participants_and_an_audit_row(world):
    workshop = record(
        world,
        starts_at=datetime.time(16, 30),
        place="Salle 12",
        audiences=["pupils", "teachers", "pupils"],
        participant_ids=[world.chef_a.pk, world.member_a.pk],
        participant_count=12,
    )
    workshop.refresh_from_db()
    assert workshop.school_year == services.school_year_of(workshop.held_on)
    assert workshop.audiences == ["teachers", "pupils"]  # in the list's order, once each
    assert workshop.created_by == world.rupn_a and workshop.revision == 0
    assert set(workshop.participants.values_list("user_id", flat=True)) == {world.chef_a.pk, world.member_a.pk}
    event = AuditEvent.objects.get(action=AuditAction.WORKSHOP_RECORDED)
    assert event.after["participants"] == 2 and event.after["title"] == "Prise en main de l'ENT"


def test_the_catalogue_theme_always_presents_the_catalogue_and_another_theme_may(world):
    assert record(world, theme="cartoun").presents_catalogue
    assert not record(world, theme="pix").presents_catalogue
    assert record(world, theme="pix", presents_catalogue=True).presents_catalogue


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "Indiquez l'intitulé."),
        ({"theme": "astrologie"}, "Choisissez un thème de la liste."),
        ({"theme": "autre", "theme_other": ""}, "Indiquez le thème (« Autre thème »)."),
        ({"duration_minutes": 0}, "La durée doit être comprise entre 1 minute et 24 heures."),
        ({"duration_minutes": 24 * 60 + 1}, "La durée doit être comprise entre 1 minute et 24 heures."),
        ({"audiences": []}, "Choisissez au moins un public"),
        ({"audiences": ["teachers", "aliens"]}, "Ce public n'est pas dans la liste"),
        ({"participant_count": -1}, "Le nombre de participants doit être compris entre 0 et 5000."),
        ({"kind": "party"}, "Choisissez la nature de la séance"),
        ({"held_on": datetime.date(2001, 1, 1)}, "La date doit être comprise entre le"),
        ({"title": "Atelier\x00"}, "L'intitulé contient un caractère interdit."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(world, overrides, message):
    with pytest.raises(ValidationError) as error:
        record(world, **overrides)
    assert message in " ".join(error.value.messages)
    assert not Workshop.objects.exists() and not AuditEvent.objects.filter(action=AuditAction.WORKSHOP_RECORDED)


def test_participants_must_be_members_of_the_school(world):
    with pytest.raises(ValidationError, match="n'est pas membre de l'établissement"):
        record(world, participant_ids=[world.chef_a.pk, world.rupn_b.pk])
    assert not Workshop.objects.exists()


def test_only_the_direction_and_the_rupn_record(world):
    for user in (world.member_a, world.rupn_b, world.correspondant_40, world.dane):
        with pytest.raises(PermissionDenied):
            record(world, by=user)
    assert record(world, by=world.chef_a).pk


def test_an_update_with_a_stale_revision_writes_nothing(world):
    workshop = record(world, participant_ids=[world.chef_a.pk])
    first = services.record_workshop(
        world.school_a, data(title="Premier"), by=world.rupn_a, workshop=workshop, seen_revision=0
    )
    assert first.revision == 1
    with pytest.raises(services.StaleWorkshop, match="modifiée par quelqu'un d'autre"):
        services.record_workshop(
            world.school_a, data(title="Second"), by=world.chef_a, workshop=workshop, seen_revision=0
        )
    workshop.refresh_from_db()
    assert workshop.title == "Premier" and workshop.revision == 1


def test_updating_participants_keeps_the_presence_of_those_kept(world):
    workshop = record(world, participant_ids=[world.chef_a.pk, world.member_a.pk])
    services.mark_attendance(workshop, by=world.rupn_a, present_ids=[world.chef_a.pk])
    workshop.refresh_from_db()
    services.record_workshop(
        world.school_a,
        data(participant_ids=[world.chef_a.pk, world.adjoint_a.pk]),
        by=world.rupn_a,
        workshop=workshop,
        seen_revision=workshop.revision,
    )
    rows = dict(Participant.objects.filter(workshop=workshop).values_list("user_id", "present"))
    assert rows == {world.chef_a.pk: True, world.adjoint_a.pk: False}


def test_a_member_who_left_may_stay_on_a_past_session(world):
    workshop = record(world, participant_ids=[world.member_a.pk])
    world.member_a.school_memberships.all().delete()
    services.record_workshop(
        world.school_a,
        data(title="Même séance", participant_ids=[world.member_a.pk]),
        by=world.rupn_a,
        workshop=workshop,
        seen_revision=workshop.revision,
    )
    assert Participant.objects.filter(workshop=workshop, user=world.member_a).exists()


def test_attendance_is_marked_after_the_session_only_for_those_expected(world):
    upcoming = record(world, held_on=today() + datetime.timedelta(days=3), participant_ids=[world.chef_a.pk])
    with pytest.raises(ValidationError, match="n'a pas encore eu lieu"):
        services.mark_attendance(upcoming, by=world.rupn_a, present_ids=[world.chef_a.pk])
    past = record(world, held_on=a_past_day(), participant_ids=[world.chef_a.pk])
    with pytest.raises(ValidationError, match="n'est pas inscrite"):
        services.mark_attendance(past, by=world.rupn_a, present_ids=[world.member_a.pk])
    with pytest.raises(PermissionDenied):
        services.mark_attendance(past, by=world.member_a, present_ids=[])
    marked = services.mark_attendance(past, by=world.rupn_a, present_ids=[world.chef_a.pk], participant_count=7)
    assert marked.attendance_marked_at is not None and marked.participant_count == 7 and marked.revision == 1
    assert Participant.objects.get(workshop=past).present
    with pytest.raises(services.StaleWorkshop):
        services.mark_attendance(past, by=world.rupn_a, present_ids=[], seen_revision=0)
    assert Participant.objects.get(workshop=past).present


def test_deleting_a_session_keeps_its_trace_in_the_journal(world):
    workshop = record(world, participant_ids=[world.chef_a.pk])
    with pytest.raises(PermissionDenied):
        services.delete_workshop(workshop, by=world.member_a)
    services.delete_workshop(workshop, by=world.chef_a)
    assert not Workshop.objects.exists() and not Participant.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.WORKSHOP_DELETED)
    assert event.before["title"] == "Prise en main de l'ENT" and event.actor == world.chef_a
