"""ProConnect on the sign-in and sign-out pages: present only when configured, the password form
only when local accounts are on, the end of the ProConnect session with Pilotis'."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from pilotis.accounts import services
from pilotis.accounts.models import ProConnectIdentity
from pilotis.accounts.proconnect import provider
from pilotis.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
START = reverse("accounts:proconnect_login")
CALLBACK = reverse("accounts:proconnect_callback")
BUTTON = "S’identifier avec"


def test_not_configured_there_is_no_button_and_no_proconnect_page(client, settings):
    settings.PROCONNECT_CLIENT_ID = ""
    body = client.get(LOGIN).content.decode()
    assert BUTTON not in body
    assert "ProConnect" not in body
    assert 'name="password"' in body
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK + "?code=a&state=b").status_code == 404
    assert not AuditEvent.objects.filter(action="login_failed").exists()


def test_configured_the_button_carries_the_next_page(proconnect, client):
    body = client.get(LOGIN + "?next=/compte/").content.decode()
    assert BUTTON in body
    assert "Qu’est-ce que ProConnect ?" in body
    assert f'href="{START}?next=/compte/"' in body
    assert 'name="password"' in body  # local accounts stay, by default


def test_the_start_keeps_only_a_safe_next_page(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    sub = proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")
    response = proconnect.sign_in(client, sub, next_url="https://ailleurs.example.com/")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_local_accounts_off_the_password_form_is_gone_and_refused(proconnect, client, settings):
    settings.LOCAL_ACCOUNTS_ENABLED = False
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")

    page = client.get(LOGIN).content.decode()
    assert BUTTON in page
    assert 'name="password"' not in page
    assert reverse("accounts:password_reset") not in page

    response = client.post(LOGIN, {"username": "lea", "password": PASSWORD})
    assert response.status_code == 403
    assert "La connexion par mot de passe n'est pas proposée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Nor through the admin's sign-in, which asks the same backends.
    client.post(reverse("admin:login"), {"username": "lea", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_proconnect_session(proconnect, client):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    assert proconnect.sign_in(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")).status_code == 302
    id_token = client.session[provider.ID_TOKEN_SESSION_KEY]

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.end_session_endpoint()
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver" + LOGIN]
    assert len(query["state"][0]) == 32
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="logout").exists()
    # The provider takes it.
    assert requests.get(response["Location"], timeout=5).status_code == 200


def test_a_password_session_signs_out_of_pilotis_only(proconnect, client):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    assert client.post(LOGIN, {"username": "lea", "password": PASSWORD}).status_code == 302

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_proconnect_pages_are_public_and_get_only(proconnect, client):
    assert client.get(START).status_code == 302
    assert client.post(START).status_code == 405
    assert client.post(CALLBACK).status_code == 405


def test_a_signed_in_persona_may_sign_in_again(proconnect, client_for, world):
    client = client_for("chef_a")
    sub = proconnect.agent("agent-chef", email=world.chef_a.email)
    assert proconnect.sign_in(client, sub).status_code == 302
    assert client.session["_auth_user_id"] == str(world.chef_a.pk)


def test_the_identities_are_in_ones_data_and_forgotten_with_the_account(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    assert proconnect.sign_in(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")).status_code == 302
    data = client.get(reverse("accounts:my_data"))
    assert data.status_code == 200
    assert "agent-lea" in data.content.decode()

    services.anonymise_user(user)
    assert not ProConnectIdentity.objects.filter(user=user).exists()


def test_the_sign_out_form_may_reach_proconnect(tmp_path):
    """The Content-Security-Policy lets the sign-out form's redirect reach ProConnect's host."""
    code = "from django.conf import settings; print(settings.SECURE_CSP['form-action'])"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 60,
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PROCONNECT_ISSUER": "https://auth.proconnect.example/api/v2",
        "PROCONNECT_CLIENT_ID": "pilotis",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "https://auth.proconnect.example" in out
