"""The log's writes: who may write, what is refused (nothing written), the audit rows, the lock."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotis.accompaniment import services
from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.accounts.services import anonymise_user
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from tests.accompaniment.helpers import action_of, days, entry, today


def test_a_correspondent_records_an_entry_with_its_audit_row(world):
    created = entry(
        world.school_a,
        world.correspondant_40,
        participants="Mme Dubosc (principale)",
        next_steps="Revoir le plan de formation",
        next_step_on=days(10),
        shared_with_school=True,
    )
    assert created.author_label == str(world.correspondant_40)
    assert created.revision == 0
    event = AuditEvent.objects.get(action=AuditAction.ACCOMPANIMENT_RECORDED)
    assert event.actor == world.correspondant_40
    assert event.after["shared_with_school"] is True
    assert "notes" not in event.after  # the notes stay in the log, not in the journal


@pytest.mark.parametrize("persona", ["chef_a", "rupn_a", "member_a", "correspondant_64", "dane_rennes"])
def test_only_who_follows_the_department_writes(world, persona):
    with pytest.raises(PermissionDenied):
        entry(world.school_a, world.persona(persona))
    assert not AccompanimentEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"happened_on": days(1)}, "ne peut pas être à venir"),
        ({"kind": "pigeon"}, "nature de l'échange"),
        ({"next_step_on": days(-3), "next_steps": "Rappeler"}, "ne peut pas précéder"),
        ({"next_step_on": days(3), "next_steps": "  "}, "prochaine étape prévue"),
        ({"participants": "Eve\r\nBcc: x"}, "caractères non autorisés"),
        ({"notes": "texte\u202eretourné"}, "caractères non autorisés"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(world, fields, message):
    with pytest.raises(ValidationError) as error:
        entry(world.school_a, world.correspondant_40, **fields)
    assert message in " ".join(error.value.messages)
    assert not AccompanimentEntry.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOMPANIMENT_RECORDED).exists()


def test_an_action_of_another_school_is_refused(world, mini_referential):
    own = action_of(world.school_a, world.chef_a, mini_referential)
    foreign = action_of(world.school_b, world.rupn_b, mini_referential, title="Action du lycée")
    with pytest.raises(ValidationError) as error:
        entry(world.school_a, world.dane, actions=[own, foreign])
    assert "Action du lycée" in " ".join(error.value.messages)
    assert not AccompanimentEntry.objects.exists()
    created = entry(world.school_a, world.dane, actions=[own])
    assert list(created.actions.all()) == [own]


def test_update_moves_the_revision_and_keeps_before_and_after(world):
    created = entry(world.school_a, world.correspondant_40)
    updated = services.update_entry(
        created,
        by=world.dane,
        seen_revision=0,
        happened_on=today(),
        kind="call",
        notes="Appel",
        shared_with_school=True,
    )
    assert (updated.revision, updated.kind, updated.shared_with_school) == (1, "call", True)
    event = AuditEvent.objects.filter(action=AuditAction.ACCOMPANIMENT_RECORDED).latest("pk")
    assert event.before["kind"] == "visit" and event.after["kind"] == "call"
    assert updated.author_label == str(world.correspondant_40)  # the author stays who wrote it


def test_a_stale_update_writes_nothing(world):
    created = entry(world.school_a, world.correspondant_40)
    services.update_entry(created, by=world.dane, seen_revision=0, happened_on=today(), kind="call")
    with pytest.raises(services.StaleEntry) as error:
        services.update_entry(created, by=world.correspondant_40, seen_revision=0, happened_on=today(), kind="visio")
    assert "modifiée" in " ".join(error.value.messages)
    created.refresh_from_db()
    assert (created.kind, created.revision) == ("call", 1)


def test_delete_with_its_audit_row_and_the_lock(world):
    created = entry(world.school_a, world.correspondant_40)
    with pytest.raises(PermissionDenied):
        services.delete_entry(created, by=world.chef_a, seen_revision=0)
    with pytest.raises(services.StaleEntry):
        services.delete_entry(created, by=world.dane, seen_revision=5)
    services.delete_entry(created, by=world.dane, seen_revision=0)
    assert not AccompanimentEntry.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.ACCOMPANIMENT_DELETED)
    assert event.actor == world.dane and event.before["kind"] == "visit"


def test_anonymising_the_author_keeps_the_entry_without_their_name(world):
    created = entry(world.school_a, world.correspondant_40, notes="Visite de rentrée")
    anonymise_user(world.correspondant_40, by=world.admin)
    created.refresh_from_db()
    assert created.author_label == "Compte anonymisé"
    assert created.notes == "Visite de rentrée"  # the school's record stays
