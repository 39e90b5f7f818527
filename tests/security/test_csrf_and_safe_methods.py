"""Check 16: a POST without CSRF token is refused; a GET never changes the database."""

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pilotis.accounts.models import SchoolMembership, TerritoryRole
from tests.factories import MembershipFactory
from tests.security.helpers import db_snapshot, route_url, signed_in
from tests.urlconf import iter_routes

PROFILE = "/compte/"


def csrf_client(user):
    return signed_in(user, enforce_csrf_checks=True)


def _posts(world):
    membership = SchoolMembership.objects.get(user=world.member_a)
    role = TerritoryRole.objects.get(user=world.correspondant_40)
    uai = world.school_a.uai
    return {
        "logout": ("chef_a", reverse("accounts:logout"), {}),
        "member_invite": (
            "chef_a",
            reverse("accounts:member_invite", args=[uai]),
            {"email": "csrf@example.org", "first_name": "C", "last_name": "S", "role": "chef"},
        ),
        "member_change_role": (
            "chef_a",
            reverse("accounts:member_change_role", args=[uai, membership.pk]),
            {f"m{membership.pk}-role": "chef"},
        ),
        "member_remove": ("chef_a", reverse("accounts:member_remove", args=[uai, membership.pk]), {}),
        "territory_role_add": (
            "dane",
            reverse("accounts:territory_role_add"),
            {"email": "csrf@example.org", "first_name": "C", "last_name": "S", "kind": "dane"},
        ),
        "territory_role_remove": ("dane", reverse("accounts:territory_role_remove", args=[role.pk]), {}),
        "my_schools": ("two_schools", reverse("accounts:my_schools"), {"uai": world.school_b.uai}),
        "password_change": (
            "chef_a",
            reverse("accounts:password_change"),
            {
                "old_password": "correct horse battery staple",
                "new_password1": "une phrase de passe toute neuve",
                "new_password2": "une phrase de passe toute neuve",
            },
        ),
    }


POSTS = [
    "logout",
    "member_invite",
    "member_change_role",
    "member_remove",
    "territory_role_add",
    "territory_role_remove",
    "my_schools",
    "password_change",
]


@pytest.mark.parametrize("name", POSTS)
def test_post_without_csrf_token_is_refused(world, name):
    MembershipFactory(user=world.chef_a, school=world.school_b, role="membre")
    persona, url, data = _posts(world)[name]
    user = world.chef_a if persona == "two_schools" else world.persona(persona)
    client = csrf_client(user)
    before = db_snapshot()
    session_before = dict(client.session)

    response = client.post(url, data)

    assert response.status_code == 403
    assert db_snapshot() == before
    assert dict(client.session) == session_before
    # Still signed in: the forged sign-out did nothing.
    assert client.get(PROFILE).status_code == 200


def test_post_with_a_wrong_token_is_refused(world):
    client = csrf_client(world.chef_a)
    client.get(PROFILE)
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert client.get(PROFILE).status_code == 200


def test_sign_in_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "chef_a", "password": "correct horse battery staple"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_post_with_the_token_is_accepted(world):
    """Control: the refusals above are about the token, not about the request."""
    client = csrf_client(world.chef_a)
    client.get(PROFILE)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 302


def _real_values(world, user, pattern):
    values = {
        "uai": world.school_a.uai,
        "pk": SchoolMembership.objects.get(user=world.member_a).pk,
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    if pattern.name == "territory_role_remove":
        values["pk"] = TerritoryRole.objects.get(user=world.correspondant_40).pk
    return values


@pytest.mark.parametrize("persona", ["chef_a", "dane", "member_a", "correspondant_40", "nobody", "admin"])
def test_no_get_changes_the_database(world, persona):
    user = world.persona(persona)
    client = signed_in(user)
    before = db_snapshot()
    seen = 0
    for name, pattern in iter_routes():
        if name.startswith("admin:"):
            continue
        url = route_url(name, pattern, _real_values(world, user, pattern))
        response = client.get(url, follow=True)
        assert response.status_code < 500, (name, response.status_code)
        seen += 1
        assert db_snapshot() == before, f"GET {url} ({name}) changed the database"
    assert seen >= 15


def test_snapshot_sees_a_change(world):
    """Control: the snapshot is sensitive to a one-field update."""
    before = db_snapshot()
    SchoolMembership.objects.filter(user=world.member_a).update(role="rupn")
    assert db_snapshot() != before
