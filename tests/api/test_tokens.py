"""« Mon compte » › « Jetons d’accès à l’API »: create (shown once, stored as a digest), list,
revoke (a confirmation page first), each journaled; nobody else's tokens."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotis.accounts import services as account_services
from pilotis.api.models import AccessToken
from pilotis.core.models import AuditEvent
from pilotis.core.personal_data import gather
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_stored_as_a_digest(world, client_for):
    client = client_for("rupn_a")
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(reverse("api_tokens:create"), {"name": "Tableau de bord", "expires_on": expires_on})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    start = page.index('id="api-token-value"')
    secret = page[page.index(">", start) + 1 : page.index("<", start)]
    assert secret.startswith("pilotis_") and len(secret) > 40
    token = AccessToken.objects.get()
    assert token.user == world.rupn_a and token.scope == "read"
    assert token.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert token.valid_until == expires_on
    assert secret.startswith(token.prefix) and len(token.prefix) < 20
    # Never again: the list shows the prefix only, and the journal has no secret.
    listed = client.get(reverse("api_tokens:list")).content.decode()
    assert "Tableau de bord" in listed and token.prefix in listed and secret not in listed
    event = AuditEvent.objects.get(action="api_token_created")
    assert event.actor == world.rupn_a and secret not in str(event.after)
    assert client.get(reverse("api:schools"), headers={"Authorization": f"Bearer {secret}"}).status_code == 200


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "passée"), (366, "un an au plus"), (None, "")],
)
def test_a_bad_expiry_is_refused_and_what_was_typed_kept(world, client_for, days, message):
    data = {"name": "Mon script"}
    if days is not None:
        data["expires_on"] = timezone.localdate() + datetime.timedelta(days=days)
    response = client_for("dane").post(reverse("api_tokens:create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le jeton n’a pas été créé" in page and message in page
    assert 'value="Mon script"' in page
    assert not AccessToken.objects.exists()


def test_the_form_offers_ninety_days(world, client_for):
    page = client_for("dane").get(reverse("api_tokens:create")).content.decode()
    assert (timezone.localdate() + datetime.timedelta(days=90)).isoformat() in page


def test_revoking_asks_first_then_the_token_is_refused(world, client_for):
    token, secret = token_for(world.chef_a)
    client = client_for("chef_a")
    url = reverse("api_tokens:revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Révoquer le jeton" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # the GET asks, never acts
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token_revoked", actor=world.chef_a).count() == 1
    response = client.get(reverse("api:schools"), headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    # Twice: said, nothing more written.
    client.post(url)
    assert AuditEvent.objects.filter(action="api_token_revoked").count() == 1


@pytest.mark.parametrize("persona", ["chef_c", "dane", "admin", "rupn_a"])
def test_nobody_else_sees_or_revokes_a_token(world, client_for, persona):
    token, _secret = token_for(world.member_a, name="Le script de member_a")
    client = client_for(persona)
    assert "Le script de member_a" not in client.get(reverse("api_tokens:list")).content.decode()
    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_account_without_any_role_has_no_token_pages(world, client_for):
    client = client_for("nobody")
    assert client.get(reverse("api_tokens:list")).status_code == 404
    assert client.post(reverse("api_tokens:create"), {"name": "x"}).status_code == 404
    assert not AccessToken.objects.exists()


def test_mon_compte_links_to_the_tokens(world, client_for):
    page = client_for("rupn_a").get(reverse("accounts:profile")).content.decode()
    assert reverse("api_tokens:list") in page


def test_ones_tokens_are_in_ones_data_and_go_with_the_account(world):
    token, secret = token_for(world.rupn_a, name="Export nocturne")
    data = gather(world.rupn_a)
    section = next(s for s in data["sections"] if s["titre"] == "Jetons d’accès à l’API")
    assert [row["nom"] for row in section["lignes"]] == ["Export nocturne"]
    assert secret not in str(data) and token.hashed_secret not in str(data)
    account_services.anonymise_user(world.rupn_a, by=world.admin)
    assert not AccessToken.objects.filter(user=world.rupn_a).exists()
