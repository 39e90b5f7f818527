"""Session lifetime (SECURITY.md): the session key changes at sign-in; a replayed cookie is refused after sign-out;
idle and absolute timeouts."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pilotis.accounts.middleware import SESSION_REFRESH_SECONDS, SESSION_SEEN_KEY, SESSION_STARTED_KEY
from tests.security.helpers import is_sign_in_redirect, sign_in, signed_in

PROFILE = "/compte/"


def session_cookie(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_session_key_changes_at_sign_in(world, client):
    # A pre-authentication session, as an attacker could plant it (session fixation).
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session_cookie(client)
    assert Session.objects.filter(session_key=before).exists()

    response = sign_in(client, "chef_a")
    assert response.status_code == 302
    after = session_cookie(client)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    # The old key does not open the signed-in session.
    fixated = Client()
    fixated.cookies[settings.SESSION_COOKIE_NAME] = before
    assert is_sign_in_redirect(fixated.get(PROFILE))


def test_cookie_replayed_after_sign_out_is_refused(world, client):
    sign_in(client, "chef_a")
    stolen = session_cookie(client)
    assert client.get(PROFILE).status_code == 200

    response = client.post(reverse("accounts:logout"))
    assert is_sign_in_redirect(response)
    assert not Session.objects.filter(session_key=stolen).exists()

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert is_sign_in_redirect(replay.get(PROFILE))
    assert is_sign_in_redirect(replay.get(reverse("territories:school_detail", args=[world.school_a.uai])))


def test_sign_out_is_post_only(world, client):
    sign_in(client, "chef_a")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(PROFILE).status_code == 200


def test_idle_timeout(world):
    client = signed_in(world.chef_a)
    assert client.get(PROFILE).status_code == 200
    key = session_cookie(client)
    # Activity pushes the expiry SESSION_COOKIE_AGE ahead (sliding window, renewed once a minute).
    expiry = Session.objects.get(session_key=key).expire_date
    assert abs((expiry - timezone.now()) - timedelta(seconds=settings.SESSION_COOKIE_AGE)) < timedelta(minutes=1)
    assert settings.SESSION_COOKIE_AGE <= 3600

    # No request for longer than the idle timeout: the server-side session has expired.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert is_sign_in_redirect(client.get(PROFILE))


def _last_seen(client, seconds_ago):
    session = client.session
    session[SESSION_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_activity_keeps_the_session_alive(world):
    client = signed_in(world.chef_a)
    client.get(PROFILE)
    # Last renewed 59 minutes ago, one minute left: a request renews it for the whole window.
    _last_seen(client, settings.SESSION_COOKIE_AGE - 60)
    key = session_cookie(client)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(PROFILE).status_code == 200
    expiry = Session.objects.get(session_key=session_cookie(client)).expire_date
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_requests_within_a_minute_do_not_write_the_session(world):
    client = signed_in(world.chef_a)
    client.get(PROFILE)
    key = session_cookie(client)
    expiry = timezone.now() + timedelta(minutes=30)
    Session.objects.filter(session_key=key).update(expire_date=expiry)
    assert client.get(PROFILE).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == expiry
    _last_seen(client, SESSION_REFRESH_SECONDS)
    Session.objects.filter(session_key=key).update(expire_date=expiry)
    client.get(PROFILE)
    assert Session.objects.get(session_key=key).expire_date > expiry + timedelta(minutes=25)


def _age_session(client, seconds):
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - seconds
    session.save()


def test_absolute_timeout(world):
    client = signed_in(world.chef_a)
    assert client.get(PROFILE).status_code == 200
    assert client.session[SESSION_STARTED_KEY] <= time.time()

    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS + 5)
    response = client.get(PROFILE)
    assert is_sign_in_redirect(response)
    # Signed out for good, not just redirected once.
    assert "_auth_user_id" not in client.session
    assert is_sign_in_redirect(client.get(PROFILE))


def test_absolute_timeout_holds_despite_activity(world):
    """Activity slides the idle window, never the absolute one."""
    client = signed_in(world.chef_a)
    client.get(PROFILE)
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS - 30)
    assert client.get(PROFILE).status_code == 200
    started = client.session[SESSION_STARTED_KEY]
    assert started < time.time() - settings.SESSION_ABSOLUTE_SECONDS + 60
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
    assert is_sign_in_redirect(client.get(PROFILE))


def test_session_within_absolute_lifetime_is_kept(world):
    client = signed_in(world.chef_a)
    client.get(PROFILE)
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS - 60)
    assert client.get(PROFILE).status_code == 200


def test_absolute_lifetime_is_bounded():
    assert 0 < settings.SESSION_ABSOLUTE_SECONDS <= 12 * 3600


def test_absolute_timeout_tells_the_user_why(world):
    client = signed_in(world.chef_a)
    client.get(PROFILE)
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS + 5)
    response = client.get(PROFILE, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/compte/connexion/")
    assert "Votre session a expiré" in response.content.decode()


def test_absolute_lifetime_counts_from_sign_in(world, client):
    before = int(time.time())
    response = sign_in(client, "chef_a")
    assert response.status_code == 302
    started = client.session[SESSION_STARTED_KEY]
    assert before <= started <= time.time()
