"""Lockout by account and address (SECURITY.md): N wrong passwords for X from A lock X out from A only, and are logged."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pilotis.core.models import AuditEvent
from tests.factories import PASSWORD
from tests.security.helpers import sign_in

A, B = "10.0.0.1", "10.0.0.2"
WRONG = "ce n'est pas le bon mot de passe"


def fail(client, login, ip, times):
    statuses = [sign_in(client, login, WRONG, ip=ip).status_code for _ in range(times)]
    return statuses


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_five_failures_lock_the_account_from_that_address(world, client, caplog):
    caplog.set_level(logging.WARNING, logger="pilotis.security")
    statuses = fail(client, "chef_a", A, settings.AXES_FAILURE_LIMIT)
    # The first four are ordinary failures; the fifth locks.
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429

    response = sign_in(client, "chef_a", ip=A)  # the right password now
    assert response.status_code == 429
    assert not signed_in_as(client, world.chef_a)
    body = response.content.decode()
    assert "Connexion temporairement bloquée" in body
    assert "Trop de tentatives" in body

    event = AuditEvent.objects.filter(action="locked_out").first()
    assert event is not None
    assert event.after == {"login": "chef_a"}
    assert event.ip_address == A
    assert WRONG not in str(event.before) + str(event.after)
    warnings = [r for r in caplog.records if r.name == "pilotis.security" and r.levelno == logging.WARNING]
    assert warnings
    assert "chef_a" in warnings[0].getMessage()
    assert A in warnings[0].getMessage()
    assert WRONG not in caplog.text


def test_four_failures_do_not_lock(world, client):
    fail(client, "chef_a", A, settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, "chef_a", ip=A)
    assert response.status_code == 302
    assert signed_in_as(client, world.chef_a)


def test_success_resets_the_counter(world, client):
    fail(client, "chef_a", A, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "chef_a", ip=A).status_code == 302
    client.post(reverse("accounts:logout"))
    assert fail(client, "chef_a", A, settings.AXES_FAILURE_LIMIT - 1) == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "chef_a", ip=A).status_code == 302


def test_same_account_from_another_address_still_signs_in(world, client):
    fail(client, "chef_a", A, settings.AXES_FAILURE_LIMIT)
    other = Client()
    response = sign_in(other, "chef_a", ip=B)
    assert response.status_code == 302
    assert signed_in_as(other, world.chef_a)


def test_another_account_from_the_same_address_still_signs_in(world, client):
    fail(client, "chef_a", A, settings.AXES_FAILURE_LIMIT)
    other = Client()
    response = sign_in(other, "adjoint_a", ip=A)
    assert response.status_code == 302
    assert signed_in_as(other, world.adjoint_a)


@pytest.mark.parametrize(
    "logins",
    [
        ["chef_a", "CHEF_A", "chef_a@example.org", "Chef_A@Example.org", "chef_a"],
        ["chef_a@example.org"] * 4 + ["chef_a"],
        ["Chef_A"] * 5,
    ],
    ids=["mixed", "email-then-username", "case"],
)
def test_username_email_and_case_count_for_one_account(world, client, logins):
    statuses = [sign_in(client, login, WRONG, ip=A).status_code for login in logins]
    assert statuses[-1] == 429
    for login in ("chef_a", "chef_a@example.org"):
        assert sign_in(client, login, ip=A).status_code == 429
    assert not signed_in_as(client, world.chef_a)


def test_spoofed_forwarded_for_does_not_dodge_the_lockout(world, client):
    """With no trusted proxy, X-Forwarded-For is the client's word: it must not pick the address."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "chef_a", WRONG, ip=A, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = sign_in(client, "chef_a", ip=A, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


def test_unknown_accounts_are_counted_too(world, client):
    statuses = fail(client, "personne-inconnue", A, settings.AXES_FAILURE_LIMIT)
    assert statuses[-1] == 429
    # The audit and django-axes' table say an unknown login was locked out, not what was typed.
    assert AuditEvent.objects.filter(action="locked_out", actor_label="identifiant inconnu").exists()
    assert not AuditEvent.objects.filter(actor_label__icontains="personne-inconnue").exists()
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username__icontains="personne-inconnue").exists()
    assert not AccessAttempt.objects.filter(post_data__icontains="personne-inconnue").exists()
    # Another unknown login is counted apart: the first one's lockout is its own.
    assert sign_in(client, "autre-inconnu", WRONG, ip=A).status_code != 429


def test_a_known_account_locked_out_is_named(world, client):
    fail(client, world.chef_a.email, A, settings.AXES_FAILURE_LIMIT)
    event = AuditEvent.objects.get(action="locked_out")
    assert (event.object_type, event.object_id, event.actor_label) == ("accounts.user", str(world.chef_a.pk), "chef_a")


# --- Behind the TLS proxy of production (BEHIND_TLS_PROXY=1, PROXY_COUNT=1) ------------------

PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1


def through_proxy(client, login, password, client_address):
    """The proxy connects from PROXY and appends the address it saw to X-Forwarded-For."""
    return sign_in(client, login, password, ip=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def test_behind_the_proxy_x_from_a_is_locked_but_not_x_from_b(world, behind_proxy):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(attacker, "chef_a", WRONG, A)
    assert through_proxy(attacker, "chef_a", PASSWORD, A).status_code == 429
    # The real chef, elsewhere, behind the same proxy: not locked out by someone else's attempts.
    chef = Client()
    assert through_proxy(chef, "chef_a", PASSWORD, B).status_code == 302
    assert signed_in_as(chef, world.chef_a)
    # Another account from A neither.
    assert through_proxy(Client(), "adjoint_a", PASSWORD, A).status_code == 302
    event = AuditEvent.objects.filter(action="locked_out").first()
    assert event.ip_address == A


def test_behind_the_proxy_a_forged_forwarded_for_is_ignored(world, behind_proxy):
    """Only the entry the proxy appended (the rightmost) is trusted; the client may prepend anything."""
    attacker = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        through_proxy(attacker, "chef_a", WRONG, f"192.0.2.{i}, {A}")
    assert through_proxy(attacker, "chef_a", PASSWORD, f"198.51.100.7, {A}").status_code == 429
    failures = AuditEvent.objects.filter(action="login_failed")
    assert failures.count() >= settings.AXES_FAILURE_LIMIT
    assert set(failures.values_list("ip_address", flat=True)) == {A}


def test_with_no_trusted_proxy_the_forwarded_header_is_not_believed(world, settings):
    settings.PROXY_COUNT = 0
    sign_in(Client(), "chef_a", WRONG, ip=A, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert AuditEvent.objects.get(action="login_failed").ip_address == A


@pytest.mark.parametrize("forwarded", ["", "pas-une-adresse", "  ,  "])
def test_behind_the_proxy_a_missing_or_bad_header_falls_back_to_the_peer(world, behind_proxy, forwarded):
    sign_in(Client(), "chef_a", WRONG, ip=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert AuditEvent.objects.get(action="login_failed").ip_address == PROXY
