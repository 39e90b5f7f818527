"""Security headers and a strict CSP (SECURITY.md): HSTS, nosniff, Referrer-Policy, a strict CSP, and the nonce on every script."""

import re

import pytest
from django.urls import reverse

from tests.security.helpers import signed_in

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def csp_nonce(response) -> str:
    nonces = [v for v in csp_directives(response)["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1, response["Content-Security-Policy"]
    return nonces[0].removeprefix("'nonce-").removesuffix("'")


@pytest.fixture
def pages(world, client):
    """The sign-in page (anonymous) and signed-in pages of two roles, over HTTPS."""
    return {
        "login": client.get(reverse("accounts:login"), secure=True),
        "school": signed_in(world.chef_a).get(
            reverse("territories:school_detail", args=[world.school_a.uai]), secure=True
        ),
        "members": signed_in(world.chef_a).get(reverse("members:list", args=[world.school_a.uai]), secure=True),
        "list": signed_in(world.dane).get(reverse("schools:list"), secure=True),
    }


PAGES = ["login", "school", "members", "list"]


@pytest.mark.parametrize("page", PAGES)
def test_transport_and_sniffing_headers(pages, page):
    response = pages[page]
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 31536000
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {
        "same-origin",
        "no-referrer",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("page", PAGES)
def test_content_security_policy(pages, page):
    directives = csp_directives(pages[page])
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    script_src = directives.get("script-src", directives.get("default-src"))
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        assert unsafe not in script_src, unsafe
    assert "'unsafe-inline'" not in directives.get("default-src", [])


@pytest.mark.parametrize("page", PAGES)
def test_every_script_carries_the_nonce(pages, page):
    response = pages[page]
    nonce = csp_nonce(response)
    assert len(nonce) >= 16
    tags = SCRIPT_TAG.findall(response.content.decode())
    assert tags, "the page loads the DSFR's scripts"
    for tag in tags:
        assert f'nonce="{nonce}"' in tag, tag


def test_nonce_changes_on_every_response(world, client):
    first = client.get(reverse("accounts:login"), secure=True)
    second = client.get(reverse("accounts:login"), secure=True)
    assert csp_nonce(first) != csp_nonce(second)


def test_hsts_is_only_sent_over_https(world, client):
    assert "Strict-Transport-Security" not in client.get(reverse("accounts:login"))
