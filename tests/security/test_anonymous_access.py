"""Anonymous access is denied by default (SECURITY.md): every URL, anonymous, is redirected to sign-in except an explicit allowlist."""

import pytest
from django.urls import reverse

from tests.urlconf import iter_routes, route_kwargs

PUBLIC = {
    "core:health",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "admin:login",  # the admin's own sign-in page
}
# Public when ProConnect is configured (tests/accounts/test_proconnect_pages.py); this suite runs
# without it, where they do not exist.
PUBLIC_IF_CONFIGURED = {"accounts:proconnect_login", "accounts:proconnect_callback"}


def all_routes():
    return sorted(iter_routes(), key=lambda item: item[0])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), all_routes(), ids=[n for n, _ in all_routes()])
def test_anonymous_is_sent_to_sign_in(client, name, pattern):
    url = reverse(name, kwargs=route_kwargs(pattern))
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if name in PUBLIC_IF_CONFIGURED:
            assert response.status_code in (404, 405), (name, method, response.status_code)
            continue
        if name in PUBLIC:
            assert response.status_code in (200, 302, 405), (name, method, response.status_code)
            if response.status_code == 302:
                assert "/connexion/" not in response["Location"] or name == "accounts:login"
            continue
        assert response.status_code in (302, 401, 403, 405), (name, method, response.status_code)
        if response.status_code == 302:
            location = response["Location"]
            assert location.startswith(("/compte/connexion/", "/admin/login/")), (name, location)


def test_allowlist_is_made_of_real_routes():
    names = {n for n, _ in iter_routes()}
    assert names >= PUBLIC | PUBLIC_IF_CONFIGURED
