"""The OpenAPI schema is generated from the code and committed; the documentation page serves
Swagger UI from the installed sidecar package through our static files, never from a CDN."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

import pilotis.api

COMMITTED = Path(pilotis.api.__file__).parent / "openapi.yaml"

pytestmark = pytest.mark.django_db


def test_the_committed_schema_is_the_codes(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), (
        "pilotis/api/openapi.yaml differs from what the code generates: run `make schema` and commit it."
    )


def test_the_schema_is_served_to_a_token_or_a_session(world, api_for, client_for):
    for client in (api_for("chef_c"), client_for("chef_c")):
        response = client.get(reverse("api:schema"), headers={"Accept": "application/json"})
        assert response.status_code == 200
        assert "/api/v1/schools/" in response.json()["paths"]


def test_the_documentation_page_uses_no_cdn(world, client_for):
    response = client_for("rupn_a").get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(src.endswith("swagger-ui-bundle.js") for src in sources)
    assert all(src.startswith("/") for src in sources), sources
    assert "<style" not in page and "<script>" not in page  # nothing inline for the CSP to refuse
    script = client_for("rupn_a").get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200 and reverse("api:schema") in script.content.decode()


def test_anonymous_is_sent_to_sign_in_for_the_documentation(world, client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
