"""The pages of the API's tokens and of the ProConnect sign-in, in a browser.

The DANE makes a token under « Mon compte », reads the API with it, revokes it after the
confirmation page, and the API refuses it then; the sign-in page with its ProConnect button and the
page an agent unknown to Pilotis reaches (against the real OIDC provider of the accounts' tests,
on loopback). Every page passes axe-core, at desktop width and on a 375 px phone.
"""

import pytest
import requests
from django.urls import reverse

from pilotis.accounts.proconnect import provider
from tests.accounts.conftest import CLIENT_ID, oidc_server  # noqa: F401 — the provider's fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def test_the_dane_makes_a_token_reads_the_api_and_revokes_it(site, demo):
    site.sign_in("dane")
    site.visit(reverse("accounts:profile"))
    site.submit(site.page.get_by_role("link", name="Jetons d’accès à l’API"))
    assert site.path == reverse("api_tokens:list")
    site.submit(site.page.get_by_role("link", name="Créer un jeton"))
    form = site.page.locator("main form[method=post]")
    form.locator("#id_name").fill("Tableau de bord de la DSDEN")
    site.submit(form.get_by_role("button", name="Créer le jeton"))
    token = site.page.locator("#api-token-value").inner_text().strip()
    assert token.startswith("pilotis_")

    answer = site.page.request.get(
        site.url("/api/v1/schools/?departement=040"), headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    body = answer.json()
    assert body["count"] > 0 and all(school["department"]["code"] == "040" for school in body["results"])

    site.visit(reverse("api_tokens:list"))
    assert "Tableau de bord de la DSDEN" in site.page.locator("main").inner_text()
    site.submit(site.page.get_by_role("link", name="Révoquer").first)
    assert "Tableau de bord de la DSDEN" in site.page.locator("main").inner_text()
    site.submit(site.page.locator("main form[method=post]").get_by_role("button", name="Révoquer le jeton"))
    assert site.path == reverse("api_tokens:list")
    refused = site.page.request.get(site.url("/api/v1/schools/"), headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401 and "detail" in refused.json()

    site.page.set_viewport_size(PHONE)
    for path in (reverse("api_tokens:list"), reverse("api_tokens:create"), reverse("accounts:profile")):
        site.visit(path)
        assert site.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    site.assert_clean()


@pytest.fixture
def proconnect(oidc_server, settings):  # noqa: F811
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = "secret-des-tests"
    settings.PROCONNECT_ISSUER = ""
    settings.PROCONNECT_DISCOVERY_URL = f"{oidc_server}/.well-known/openid-configuration"
    settings.PROCONNECT_ACR_VALUES = ""
    settings.PROCONNECT_ALLOWED_DOMAINS = []
    provider.forget_discovery()
    yield oidc_server
    provider.forget_discovery()


def test_an_agent_unknown_to_pilotis_is_told_why(site, demo, proconnect):
    body = {"email": "claire.inconnue@ac-exemple.fr", "idp_id": "idp-education", "siret": "13002526500013"}
    assert requests.put(f"{proconnect}/users/agent-inconnu", json=body, timeout=5).status_code == 204

    site.visit(reverse("accounts:login"))
    assert site.page.get_by_role("link", name="S’identifier avec ProConnect").is_visible()
    # ProConnect's own pages are not Pilotis's: the consent is given to the provider directly, the
    # browser then comes back to Pilotis with the answer, as it would from ProConnect.
    start = site.page.request.get(site.url(reverse("accounts:proconnect_login")), max_redirects=0)
    assert start.status == 302
    consent = requests.post(start.headers["location"], data={"sub": "agent-inconnu"}, allow_redirects=False, timeout=5)
    assert consent.status_code == 302
    site.visit(consent.headers["Location"], status=403)
    main = site.page.locator("main").inner_text()
    assert "claire.inconnue@ac-exemple.fr" in main and "13002526500013" in main

    site.page.set_viewport_size(PHONE)
    site.visit(reverse("accounts:login"))
    assert site.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    site.assert_clean()


def test_the_api_documentation_passes_axe_once_swagger_ui_has_drawn_it(site, demo):
    """Swagger UI draws the operations after the page loads: axe-core runs on what it drew, at
    desktop width and on a phone."""
    site.sign_in("dane")
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        site.page.set_viewport_size(viewport)
        site.visit(reverse("api:docs"))  # which waits for Swagger UI to draw the operations
        assert site.page.locator(".opblock").count() >= 10
    site.assert_clean()
