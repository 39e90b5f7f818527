"""core.sql writes and reads what the ORM would, on SQLite and on PostgreSQL (the additions of
`update(add=…)` are exercised by the tallies' tests, which compare the counters with a count)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from pilotis.core import sql
from pilotis.core.models import AuditEvent
from pilotis.territories.models import School
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

WHEN = timezone.make_aware(datetime.datetime(2026, 3, 14, 15, 9, 26, 535897), datetime.UTC)


def test_an_insert_stores_the_values_as_the_orm_reads_them(world):
    sql.insert(
        AuditEvent,
        {
            "created_at": WHEN,
            "actor_id": world.dane.pk,
            "action": "login",
            "object_label": "« été » ; =1+1",
            "after": {"a": [1, None], "b": "é"},
            "ip_address": "2001:db8::1",
        },
    )
    event = AuditEvent.objects.get()
    assert event.created_at == WHEN  # aware, to the microsecond
    assert (event.actor, event.object_label, event.after, event.before) == (
        world.dane,
        "« été » ; =1+1",
        {"a": [1, None], "b": "é"},
        None,
    )
    assert event.ip_address == "2001:db8::1"


def test_an_update_assigns_the_matched_rows_and_counts_them(world):
    kept = AuditEvent.objects.create(action="login", object_label="kept")
    changed = AuditEvent.objects.create(action="login", object_label="changed")
    matched = sql.update(AuditEvent, where={"id": changed.pk}, assign={"after": {"n": 2}, "created_at": WHEN})
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert matched == 1
    assert (changed.after, changed.created_at) == ({"n": 2}, WHEN)
    assert kept.after is None and kept.created_at != WHEN
    assert sql.update(AuditEvent, where={"id": changed.pk + kept.pk + 1}, assign={"after": {}}) == 0


def test_columns_build_the_instances_the_orm_builds(world):
    school = SchoolFactory(department=world.landes, phone="05 58 00 00 00")
    cols = sql.columns(School, "s", frozenset({"id", "uai", "phone"}))
    assert cols.attnames == ("id", "uai", "phone")  # the model's order
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols.sql} FROM {sql.table(School)} s WHERE s.id = %s", [school.pk])  # noqa: S608
        read = cols.instance(cursor.fetchone())
    assert (read.pk, read.uai, read.phone) == (school.pk, school.uai, "05 58 00 00 00")
    assert read.get_deferred_fields() >= {"name", "department_id"}  # what was not read is deferred
    assert read.name == school.name  # and loads on access, as with .only()


def test_a_field_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="no field"):
        sql.columns(School, "s", frozenset({"id", "nope"}))


def test_an_insert_fills_the_defaults_and_refuses_a_field_that_does_not_exist():
    sql.insert(AuditEvent, {"action": "logout"})
    event = AuditEvent.objects.get()
    assert (event.actor_label, event.before, event.created_at is not None) == ("", None, True)
    with pytest.raises(ValueError, match="no field"):
        sql.insert(AuditEvent, {"action": "logout", "nope": 1})
    assert AuditEvent.objects.count() == 1
