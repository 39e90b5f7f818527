import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilotis.accounts.models import SchoolMembership
from pilotis.accounts.services import anonymise_user
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.core.personal_data import gather
from pilotis.digital_services import services
from pilotis.digital_services.models import DigitalService
from pilotis.digital_services.services import parse_since, with_school_administrator
from tests.digital_services.conftest import data, record


def test_recording_a_service_keeps_its_fields_its_administrators_and_an_audit_row(world):
    service = record(
        world,
        name="Pronote",
        kind="school_life",
        address="https://pronote.example.fr",
        administrator_ids=[world.chef_a.pk, world.rupn_a.pk],
        outside_administrator="Prestataire",
        since="2019",
        support_channel="Éditeur",
        note="Licence renouvelée en juin.",
    )
    service.refresh_from_db()
    assert (service.name, service.kind, service.support_channel) == ("Pronote", "school_life", "Éditeur")
    assert service.since == datetime.date(2019, 1, 1) and service.since_year_only and service.since_label == "2019"
    assert set(service.administrators.values_list("pk", flat=True)) == {world.chef_a.pk, world.rupn_a.pk}
    assert service.created_by == world.rupn_a and service.updated_by == world.rupn_a
    event = AuditEvent.objects.get(action=AuditAction.DIGITAL_SERVICE_RECORDED)
    assert event.after["name"] == "Pronote" and event.after["administrators"] == sorted(
        [world.chef_a.pk, world.rupn_a.pk]
    )


def test_an_edit_bumps_the_revision_and_a_stale_edit_writes_nothing(world):
    service = record(world)
    changed = services.record_service(
        world.school_a, data(name="ENT 2"), by=world.chef_a, service=service, seen_revision=0
    )
    assert changed.revision == 1 and changed.updated_by == world.chef_a
    with pytest.raises(services.StaleService):
        services.record_service(world.school_a, data(name="ENT 3"), by=world.rupn_a, service=service, seen_revision=0)
    assert DigitalService.objects.get(pk=service.pk).name == "ENT 2"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "nope"}, "nature"),
        ({"name": "  "}, "Indiquez le nom du service"),
        ({"address": "javascript:alert(1)"}, "adresse web complète"),
        ({"address": "pas une adresse"}, "adresse web complète"),
        ({"since": "1850"}, "comprise entre"),
        ({"since": "31/02/2020"}, "une année"),
        ({"since": "hier"}, "une année"),
        ({"name": "ENT\u202e"}, "caractère interdit"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_written(world, overrides, message):
    with pytest.raises(ValidationError) as error:
        record(world, **overrides)
    assert message in " ".join(error.value.messages)
    assert not DigitalService.objects.exists()


def test_an_administrator_must_be_a_member_of_the_school(world):
    with pytest.raises(ValidationError, match="pas membre"):
        record(world, administrator_ids=[world.rupn_b.pk])
    assert not DigitalService.objects.exists()


def test_only_the_rupn_and_the_direction_write(world):
    with pytest.raises(PermissionDenied):
        record(world, by=world.member_a)
    with pytest.raises(PermissionDenied):
        record(world, by=world.correspondant_40)
    service = record(world)
    with pytest.raises(PermissionDenied):
        services.delete_service(service, by=world.member_a)
    services.delete_service(service, by=world.adjoint_a)
    assert not DigitalService.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.DIGITAL_SERVICE_DELETED).count() == 1


def test_since_reads_a_year_or_a_day():
    assert parse_since("2021") == (datetime.date(2021, 1, 1), True)
    assert parse_since("15/09/2021") == (datetime.date(2021, 9, 15), False)
    assert parse_since("2021-09-15") == (datetime.date(2021, 9, 15), False)
    assert parse_since("") == (None, False)
    with pytest.raises(ValidationError):
        parse_since((timezone.localdate() + datetime.timedelta(days=2)).strftime("%d/%m/%Y"))


def test_a_service_whose_administrators_left_counts_as_without_administrator_at_the_school(world):
    kept = record(world, name="ENT", administrator_ids=[world.rupn_a.pk])
    left = record(world, name="Cloud", administrator_ids=[world.member_a.pk])
    outside = record(world, name="Site", outside_administrator="Prestataire")
    SchoolMembership.objects.filter(user=world.member_a, school=world.school_a).delete()
    flags = dict(
        with_school_administrator(DigitalService.objects.filter(school=world.school_a)).values_list(
            "name", "has_school_administrator"
        )
    )
    assert flags == {kept.name: True, left.name: False, outside.name: False}


def test_a_former_administrator_may_stay_named_until_replaced(world):
    service = record(world, administrator_ids=[world.member_a.pk])
    SchoolMembership.objects.filter(user=world.member_a, school=world.school_a).delete()
    services.record_service(
        world.school_a,
        data(name="ENT renommé", administrator_ids=[world.member_a.pk]),
        by=world.rupn_a,
        service=service,
    )
    assert list(service.administrators.all()) == [world.member_a]


def test_personal_data_lists_what_a_person_administers_and_anonymisation_keeps_the_register_coherent(world):
    service = record(world, name="Pronote", administrator_ids=[world.chef_a.pk, world.rupn_a.pk])
    sections = gather(world.chef_a)
    text = json.dumps(sections, ensure_ascii=False)
    assert "Services numériques administrés" in text and "Pronote" in text
    anonymise_user(world.chef_a)
    service.refresh_from_db()
    assert list(service.administrators.all()) == [world.rupn_a]
    assert DigitalService.objects.filter(pk=service.pk).exists()
    anonymise_user(world.rupn_a)
    flags = with_school_administrator(DigitalService.objects.filter(pk=service.pk)).get()
    assert not flags.has_school_administrator and not flags.administrators.exists()
