"""Cookie flags (SECURITY.md): the session cookie is Secure, HttpOnly and SameSite; the CSRF cookie is Secure."""

from django.conf import settings
from django.urls import reverse

from pilotis.accounts.middleware import SESSION_REFRESH_SECONDS, SESSION_SEEN_KEY
from tests.security.helpers import sign_in


def assert_flags(morsel, *, httponly=True):
    assert morsel["secure"] is True
    assert morsel["samesite"] in ("Lax", "Strict")
    assert morsel["path"] == "/"
    assert not morsel["domain"], "a host-only cookie"
    if httponly:
        assert morsel["httponly"] is True


def test_cookie_names_are_host_prefixed():
    # "__Host-" makes browsers refuse the cookie unless Secure, path=/ and no Domain.
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-")
    assert settings.CSRF_COOKIE_NAME.startswith("__Host-")


def test_csrf_cookie_on_the_sign_in_page(world, client):
    response = client.get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    assert_flags(response.cookies[settings.CSRF_COOKIE_NAME])


def test_cookies_of_a_real_sign_in(world, client):
    client.get(reverse("accounts:login"), secure=True)
    response = sign_in(client, "chef_a", secure=True)
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session.value
    assert_flags(session)
    # Sign-in rotates the CSRF token; the new cookie is just as protected.
    assert_flags(response.cookies[settings.CSRF_COOKIE_NAME])
    # An idle timeout: the cookie expires, it is not kept forever.
    assert int(session["max-age"]) == settings.SESSION_COOKIE_AGE <= 3600


def test_signed_in_pages_keep_the_flags(world, client):
    sign_in(client, "chef_a", secure=True)
    # A minute later, activity renews the session: the cookie sent again keeps its flags.
    session = client.session
    session[SESSION_SEEN_KEY] -= SESSION_REFRESH_SECONDS
    session.save()
    response = client.get(reverse("accounts:profile"), secure=True)
    assert response.status_code == 200
    assert_flags(response.cookies[settings.SESSION_COOKIE_NAME])
