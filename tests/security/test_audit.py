"""Audit journal (SECURITY.md): sign-in success and failure, sign-out, role change and refused access leave an audit
row (who, what, which object, before → after, UTC) with no secret in it; old rows are purged."""

import json
from datetime import UTC, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pilotis.accounts.models import SchoolMembership, TerritoryRole
from pilotis.core import audit
from pilotis.core.models import AuditEvent
from tests.factories import PASSWORD
from tests.security.helpers import sign_in, signed_in

IP = "10.1.2.3"
WRONG = "mauvais-mot-de-passe-secret"


def row_text(event) -> str:
    return json.dumps(
        {f.name: str(getattr(event, f.attname)) for f in AuditEvent._meta.fields}, ensure_ascii=False
    ) + json.dumps([event.before, event.after], ensure_ascii=False)


def assert_utc(event):
    assert timezone.is_aware(event.created_at)
    assert event.created_at.utcoffset() == timedelta(0)
    assert abs(timezone.now() - event.created_at) < timedelta(minutes=1)


def only(action):
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, (action, events)
    return events[0]


def test_sign_in_success(world, client):
    response = sign_in(client, "chef_a", ip=IP)
    assert response.status_code == 302
    event = only("login")
    assert event.actor_id == world.chef_a.pk
    assert event.actor_label == "chef_a"
    assert (event.object_type, event.object_id) == ("accounts.user", str(world.chef_a.pk))
    assert event.ip_address == IP
    assert len(event.request_id) >= 8
    assert PASSWORD not in row_text(event)
    assert_utc(event)


def test_sign_in_failure_records_no_password(world, client):
    response = sign_in(client, "chef_a", WRONG, ip=IP)
    assert response.status_code == 200
    event = only("login_failed")
    assert event.actor_id is None
    assert event.actor_label == "chef_a"
    assert event.after == {"login": "chef_a"}
    assert event.before is None
    assert event.ip_address == IP
    assert WRONG not in row_text(event)
    assert_utc(event)


def test_sign_in_failure_for_unknown_account(world, client):
    """What was typed is not kept (often a password in the wrong field): only that it was unknown."""
    sign_in(client, "quelquun@example.org", WRONG, ip=IP)
    event = only("login_failed")
    assert event.after == {"login": None, "unknown": True}
    assert event.actor_label == "identifiant inconnu"
    assert (event.object_type, event.object_id) == ("", "")
    assert "quelquun" not in row_text(event)
    assert WRONG not in row_text(event)


def test_sign_in_failure_names_the_account_not_what_was_typed(world, client):
    """An account typed by its e-mail address, in capitals: the audit names the account."""
    sign_in(client, world.chef_a.email.upper(), WRONG, ip=IP)
    event = only("login_failed")
    assert event.actor_id is None
    assert (event.object_type, event.object_id) == ("accounts.user", str(world.chef_a.pk))
    assert event.after == {"login": "chef_a"}
    assert world.chef_a.email.upper() not in row_text(event)


def test_a_password_typed_as_login_is_kept_nowhere(world, client):
    from axes.models import AccessAttempt

    sign_in(client, PASSWORD, PASSWORD, ip=IP)
    assert PASSWORD not in row_text(only("login_failed"))
    attempt = AccessAttempt.objects.get()
    assert PASSWORD not in f"{attempt.username} {attempt.get_data} {attempt.post_data}"
    assert attempt.username.startswith("inconnu-")


def test_sign_out(world, client):
    sign_in(client, "chef_a", ip=IP)
    client.post(reverse("accounts:logout"), REMOTE_ADDR=IP)
    event = only("logout")
    assert event.actor_id == world.chef_a.pk
    assert event.object_id == str(world.chef_a.pk)
    assert_utc(event)


def test_role_change_before_and_after(world):
    membership = SchoolMembership.objects.get(user=world.member_a)
    signed_in(world.chef_a).post(
        reverse("members:change_role", args=[world.school_a.uai, membership.pk]),
        {f"m{membership.pk}-role": "rupn"},
        REMOTE_ADDR=IP,
    )
    event = only("role_changed")
    assert event.actor_id == world.chef_a.pk
    assert (event.object_type, event.object_id) == ("accounts.schoolmembership", str(membership.pk))
    assert event.before == {"user": "member_a", "school": world.school_a.uai, "role": "membre"}
    assert event.after == {"user": "member_a", "school": world.school_a.uai, "role": "rupn"}
    assert event.ip_address == IP
    assert_utc(event)


def test_member_removal_and_invitation(world, django_capture_on_commit_callbacks):
    client = signed_in(world.chef_a)
    membership = SchoolMembership.objects.get(user=world.member_a)
    client.post(reverse("members:remove", args=[world.school_a.uai, membership.pk]))
    event = only("role_revoked")
    assert event.before == {"user": "member_a", "school": world.school_a.uai, "role": "membre"}
    assert event.object_id == str(membership.pk)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:invite", args=[world.school_a.uai]),
            {"email": "neuf@example.org", "first_name": "Néo", "last_name": "Neuf", "role": "rupn"},
        )
    assert only("user_invited").after == {"email": "neuf@example.org"}
    granted = only("role_granted")
    assert granted.after == {"user": "neuf", "school": world.school_a.uai, "role": "rupn"}
    assert granted.actor_id == world.chef_a.pk


def test_territory_role_grant_and_revoke(world, django_capture_on_commit_callbacks):
    client = signed_in(world.dane)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:territory_role_add"),
            {
                "email": "c33@example.org",
                "first_name": "G",
                "last_name": "Gironde",
                "kind": "correspondant",
                "department": world.gironde.pk,
            },
        )
    assert only("role_granted").after == {"user": "c33", "kind": "correspondant", "department": "033", "academy": None}
    role = TerritoryRole.objects.get(user=world.correspondant_40)
    client.post(reverse("accounts:territory_role_remove", args=[role.pk]))
    assert only("role_revoked").before == {
        "user": "correspondant_40",
        "kind": "correspondant",
        "department": "040",
        "academy": None,
    }


@pytest.mark.parametrize(
    ("persona", "url_name", "args"),
    [
        ("chef_c", "territories:school_detail", "a"),
        ("member_a", "accounts:territory_roles", None),
        ("correspondant_64", "members:list", "a"),
    ],
)
def test_refused_access(world, persona, url_name, args):
    url = reverse(url_name, args=[world.school_a.uai] if args else None)
    response = signed_in(world.persona(persona)).get(url, REMOTE_ADDR=IP)
    assert response.status_code == 404
    event = only("access_denied")
    assert event.actor_id == world.persona(persona).pk
    assert event.after["path"] == url
    assert event.ip_address == IP
    assert_utc(event)


def test_refused_action_in_scope_is_403_and_recorded(world):
    response = signed_in(world.member_a).post(
        reverse("members:invite", args=[world.school_a.uai]),
        {"email": "x@example.org", "first_name": "X", "last_name": "Y", "role": "chef"},
    )
    assert response.status_code == 403
    event = only("access_denied")
    assert event.object_id == str(world.school_a.pk)
    assert event.after["what"] == "member:manage"


def test_secrets_are_scrubbed_whatever_the_caller_passes(world):
    event = audit.record(
        "login",
        actor=world.chef_a,
        before={"password": "p1", "nested": {"Token": "t1"}},
        after={"new_password1": "p2", "items": [{"secret": "s1"}], "kept": "visible"},
    )
    event.refresh_from_db()
    text = row_text(event)
    for secret in ("p1", "t1", "p2", "s1"):
        assert f'"{secret}"' not in text
    assert event.after["kept"] == "visible"


# --- Retention ----------------------------------------------------------------------------


def _event_aged(days, **extra):
    event = AuditEvent.objects.create(action="login", actor_label="ancien", **extra)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - days)
    return event.pk


@pytest.mark.parametrize("retention", [365, 30])
def test_purge_removes_only_rows_past_retention(db, settings, retention):
    settings.AUDIT_RETENTION_DAYS = retention
    old = [
        _event_aged(timedelta(days=retention, minutes=5)),
        _event_aged(timedelta(days=retention * 3)),
    ]
    kept = [
        _event_aged(timedelta(days=retention) - timedelta(minutes=5)),
        _event_aged(timedelta(days=1)),
        _event_aged(timedelta(0)),
    ]
    out = StringIO()
    call_command("purge_audit", stdout=out)
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == set(kept)
    assert not AuditEvent.objects.filter(pk__in=old).exists()
    assert out.getvalue().startswith("2 ")
    # Idempotent.
    out = StringIO()
    call_command("purge_audit", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert AuditEvent.objects.count() == len(kept)


def test_retention_cutoff_is_computed_in_utc(db, settings):
    settings.AUDIT_RETENTION_DAYS = 10
    now = timezone.now().astimezone(UTC)
    boundary = AuditEvent.objects.create(action="login", created_at=now - timedelta(days=10, seconds=1))
    inside = AuditEvent.objects.create(action="login", created_at=now - timedelta(days=10) + timedelta(seconds=1))
    assert list(AuditEvent.objects.older_than_retention(now=now)) == [boundary]
    assert inside.pk != boundary.pk
