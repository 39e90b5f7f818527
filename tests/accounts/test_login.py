"""Sign-in with the username or the e-mail address, either case-insensitive; sign-out."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from pilotis.accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.security.helpers import sign_in, text_of

LOGIN = "/compte/connexion/"
ERROR = "Identifiant ou mot de passe incorrect."


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_sign_in_page_is_french(db, client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = text_of(response)
    assert "Se connecter à Pilotis" in body
    assert "Identifiant ou adresse électronique" in body
    assert "Mot de passe" in body
    assert 'lang="fr"' in body


@pytest.mark.parametrize(
    "login",
    ["chef_a", "CHEF_A", "Chef_A", "chef_a@example.org", "CHEF_A@EXAMPLE.ORG", "Chef_A@Example.Org", "  chef_a  "],
)
def test_sign_in_with_username_or_email_any_case(world, client, login):
    response = sign_in(client, login)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client, world.chef_a)
    # And the home page takes the chef to their school.
    assert client.get(reverse("home"))["Location"] == reverse("territories:school_detail", args=[world.school_a.uai])


def test_a_username_holding_an_at_sign_signs_in_and_an_email_comes_first(world, client):
    """Django's usernames may hold an "@": such a login is an e-mail first, then a username."""
    user = UserFactory(username="m.durand@dane", email="marie.durand@example.org")
    assert sign_in(client, "M.Durand@DANE").status_code == 302 and signed_in_as(client, user)
    client.logout()
    # Another account's username equal to chef_a's e-mail: the e-mail wins, as the form says.
    UserFactory(username="chef_a@example.org", email="autre@example.org")
    assert sign_in(client, "chef_a@example.org").status_code == 302 and signed_in_as(client, world.chef_a)


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("chef_a", "wrong password!"),
        ("chef_a", PASSWORD.upper()),
        ("chef_a@example.org", "wrong password!"),
        ("personne", PASSWORD),
        ("personne@example.org", PASSWORD),
        ("chef_a", ""),
        ("", PASSWORD),
    ],
)
def test_wrong_credentials_give_the_french_error(world, client, login, password):
    response = sign_in(client, login, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    if login and password:
        assert ERROR in text_of(response)
    else:
        assert "Ce champ est obligatoire." in text_of(response)


def test_same_error_for_unknown_account_and_wrong_password(world, client):
    """No account enumeration: the answers differ in nothing but the CSRF token."""
    unknown = text_of(sign_in(client, "personne", "wrong password!"))
    wrong = text_of(sign_in(Client(), "chef_a", "wrong password!"))
    assert ERROR in unknown and ERROR in wrong

    # Only per-request tokens (CSRF, CSP nonce) and the typed login differ.
    def strip(page):
        return re.sub(r'(value|nonce)="[^"]*"', "", page)

    assert strip(unknown) == strip(wrong)


def test_inactive_account_gets_the_generic_error(world, client):
    User.objects.filter(pk=world.member_a.pk).update(is_active=False)
    response = sign_in(client, "member_a")
    assert response.status_code == 200
    assert ERROR in text_of(response)
    assert "_auth_user_id" not in client.session


def test_account_without_usable_password_cannot_sign_in(world, client):
    world.member_a.set_unusable_password()
    world.member_a.save()
    response = sign_in(client, "member_a", "")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = sign_in(client, "member_a", world.member_a.password)
    assert "_auth_user_id" not in client.session


def test_next_is_followed_within_the_site(world, client):
    target = reverse("members:list", args=[world.school_a.uai])
    response = client.post(LOGIN, {"username": "chef_a", "password": PASSWORD, "next": target})
    assert response["Location"] == target


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "http://testserver.evil.example/"])
def test_next_never_leaves_the_site(world, client, target):
    response = client.post(LOGIN, {"username": "chef_a", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_anonymous_is_sent_to_sign_in_with_next(db, client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/compte/"


def test_signed_in_user_visiting_sign_in_goes_home(world, client):
    sign_in(client, "chef_a")
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_out(world, client):
    sign_in(client, "chef_a")
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_sign_out_by_get_is_refused(world, client):
    sign_in(client, "chef_a")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_as(client, world.chef_a)


def test_header_shows_the_user_and_a_sign_out_form(world, client):
    sign_in(client, "chef_a")
    body = text_of(client.get(reverse("accounts:profile")))
    assert world.chef_a.get_full_name() in body
    assert 'action="/compte/deconnexion/"' in body
    assert "Se déconnecter" in body
