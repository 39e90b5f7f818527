"""Who may call: a usable token in `Authorization: Bearer`, or the session. A token in the
address, expired, revoked, of a deactivated user, or unknown: a JSON 401, journaled at a bounded
rate, the secret never written anywhere."""

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pilotis.accounts import services as account_services
from pilotis.api import services
from pilotis.api.models import AccessToken
from pilotis.core.models import AuditEvent
from tests.api.conftest import TokenClient, token_for

pytestmark = pytest.mark.django_db


def schools(client, **params):
    return client.get(reverse("api:schools"), params)


def assert_json_401(response):
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_no_credentials_is_a_json_401_not_a_sign_in_page(world):
    assert_json_401(schools(Client()))


def test_a_token_reads_as_its_holder(world):
    _token, secret = token_for(world.correspondant_40)
    body = schools(TokenClient(secret)).json()
    assert [row["uai"] for row in body["results"]] == [world.school_a.uai]


@pytest.mark.parametrize("name", ["token", "access_token", "api_key", "q"])
def test_a_token_in_the_address_is_refused_and_never_logged(world, caplog, name):
    token, secret = token_for(world.dane)
    caplog.set_level(logging.DEBUG)
    for client in (Client(), TokenClient(secret)):
        assert_json_401(client.get(reverse("api:schools"), {name: secret}))
    assert secret not in caplog.text
    assert all(secret not in str(e.after) and secret not in e.object_label for e in AuditEvent.objects.all())
    assert AuditEvent.objects.filter(action="api_token_refused", after__reason="token_in_address").exists()


def test_an_expired_token_is_refused(world):
    token, secret = token_for(world.dane)
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_json_401(schools(TokenClient(secret)))
    assert AuditEvent.objects.get(action="api_token_refused").after["reason"] == "expired"


def test_a_deactivated_users_token_is_refused(world):
    token, secret = token_for(world.rupn_a)
    account_services.deactivate_user(world.rupn_a, by=world.admin)
    assert_json_401(schools(TokenClient(secret)))
    assert AuditEvent.objects.get(action="api_token_refused").after["reason"] == "user_inactive"


def test_a_removed_role_narrows_the_token_at_once(world):
    _token, secret = token_for(world.correspondant_40)
    client = TokenClient(secret)
    assert len(schools(client).json()["results"]) == 1
    role = world.correspondant_40.territory_roles.get()
    account_services.revoke_territory_role(role, by=world.dane)
    assert schools(client).json()["results"] == []


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer a b",
        "Bearer pilotis_unknown",
        "Bearer \u00e9t\u00e9".encode().decode("latin-1"),
        "Bearer " + "x" * 300,
    ],
)
def test_a_bad_header_is_refused(world, header):
    assert_json_401(Client(headers={"Authorization": header}).get(reverse("api:schools")))


def test_refusals_are_journaled_at_a_bounded_rate(world):
    token, secret = token_for(world.dane)
    services.revoke_token(token, by=world.dane)
    client = TokenClient(secret)
    for _ in range(5):
        assert_json_401(schools(client))
    events = AuditEvent.objects.filter(action="api_token_refused")
    assert events.count() == 1
    assert events.get().after == {"reason": "revoked", "path": "/api/v1/schools/", "prefix": token.prefix}
    unknown = TokenClient("pilotis_" + "x" * 43)
    for _ in range(3):
        assert_json_401(schools(unknown))
    assert events.count() == 2


def test_last_use_is_noted_without_a_write_per_request(world):
    token, secret = token_for(world.dane)
    client = TokenClient(secret)
    schools(client)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    schools(client)
    token.refresh_from_db()
    assert token.last_used_at == first


def test_the_session_reads_too(world, client_for):
    assert schools(client_for("rupn_b")).json()["results"][0]["uai"] == world.school_b.uai


def test_throttled_per_token(world, settings):
    settings.API_THROTTLE_RATE = "3/min"
    _token, secret = token_for(world.dane)
    client = TokenClient(secret)
    assert [schools(client).status_code for _ in range(3)] == [200, 200, 200]
    response = schools(client)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json" and response.json()["detail"]
    # Another token of the same person has its own budget.
    _other, other_secret = token_for(world.dane, name="Autre")
    assert schools(TokenClient(other_secret)).status_code == 200
