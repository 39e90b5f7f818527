"""Generic error pages (SECURITY.md): an exception with DEBUG=False gives a generic page, no traceback or settings; it is
logged with the request id shown on the page."""

import logging

import pytest
from django.conf import settings

from pilotis.core.middleware import RequestIdLogFilter
from tests.security.helpers import signed_in, text_of

LEAKS = [
    "Traceback",
    "BoomError",
    "boom-detail",
    "hunter2",
    "urls_boom",
    "SECRET_KEY",
    "DATABASES",
    "INSTALLED_APPS",
    "ROOT_URLCONF",
    "settings.py",
    "site-packages",
    'File "',
]


@pytest.fixture
def request_log(caplog):
    """Records of `django.request` (which does not propagate to the root), with their request id."""
    logger = logging.getLogger("django.request")
    id_filter = RequestIdLogFilter()
    caplog.handler.addFilter(id_filter)
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        caplog.handler.removeFilter(id_filter)


def assert_generic(response):
    body = text_of(response)
    for leak in LEAKS:
        assert leak not in body, leak
    assert settings.SECRET_KEY not in body
    return body


@pytest.mark.urls("tests.security.urls_boom")
@pytest.mark.parametrize("persona", ["chef_a", "dane"])
def test_exception_gives_generic_page_with_request_id(world, request_log, persona):
    assert settings.DEBUG is False
    client = signed_in(world.persona(persona))
    client.raise_request_exception = False
    response = client.get("/test-boom/")

    assert response.status_code == 500
    body = assert_generic(response)
    assert "Erreur inattendue" in body
    assert "Désolé, un problème est survenu" in body
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 8
    assert request_id in body
    # Nor the user's data on a page rendered without context.
    assert world.persona(persona).email not in body

    errors = [r for r in request_log.records if r.levelno >= logging.ERROR and r.name == "django.request"]
    assert errors, "the exception is logged"
    record = errors[-1]
    assert record.request_id == request_id
    assert record.exc_info is not None and record.exc_info[0].__name__ == "BoomError"
    assert "/test-boom/" in record.getMessage()


@pytest.mark.urls("tests.security.urls_boom")
def test_anonymous_never_reaches_the_failing_view(world, client):
    client.raise_request_exception = False
    # Anonymous users are sent to sign-in before any view runs (LoginRequiredMiddleware).
    assert client.get("/test-boom/").status_code == 302


def test_request_id_from_a_trusted_proxy_is_kept_and_a_malformed_one_replaced(world, settings):
    settings.TRUST_REQUEST_ID_HEADER = True
    client = signed_in(world.chef_a)
    kept = client.get("/compte/", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert kept["X-Request-ID"] == "abcdef0123456789"
    for bad in ("short", "a" * 65, "abc\ndef-ghijkl", "<script>alert(1)</script>", "abcdefgh ijklmnop"):
        response = client.get("/compte/", HTTP_X_REQUEST_ID=bad)
        assert response["X-Request-ID"] != bad
        assert len(response["X-Request-ID"]) == 32


def test_request_id_from_a_client_is_not_trusted(world, settings):
    settings.TRUST_REQUEST_ID_HEADER = False
    response = signed_in(world.chef_a).get("/compte/", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert response["X-Request-ID"] != "abcdef0123456789"
    assert len(response["X-Request-ID"]) == 32


def test_not_found_is_generic_and_french(world):
    response = signed_in(world.chef_a).get("/nulle-part/rien/")
    assert response.status_code == 404
    body = assert_generic(response)
    assert "Using the URLconf" not in body
    assert "Page not found" not in body
    assert "nulle-part" not in body
    assert response["X-Request-ID"] in body
    assert 'lang="fr"' in body


def test_method_not_allowed_and_bad_request_do_not_leak(world):
    client = signed_in(world.chef_a)
    assert client.get("/compte/deconnexion/").status_code == 405
    bad_host = client.get("/compte/", HTTP_HOST="evil.example")
    assert bad_host.status_code == 400
    assert_generic(bad_host)
    assert "ALLOWED_HOSTS" not in text_of(bad_host)
