"""On a 375 px phone without JavaScript, the header's menu still opens and leads elsewhere."""

import pytest

from tests.browser.pages import DEMO_PASSWORD, SignInPage, label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_without_javascript_reaches_another_page_through_the_header_menu(playwright_browser, live_server, demo):
    context = playwright_browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 375, "height": 740}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(SignInPage.PATH)
        page.get_by_label(label("Identifiant ou adresse électronique")).fill("direction")
        page.get_by_label(label("Mot de passe")).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter", exact=True).click()
        page.wait_for_url(lambda url: SignInPage.PATH not in url)
        home = page.url

        navigation = page.get_by_role("navigation", name="Menu principal")
        other_page = navigation.get_by_role("link", name="Équipe", exact=True)
        assert not other_page.is_visible(), "the menu is open before anyone asks for it"
        page.locator("header").get_by_role("link", name="Menu", exact=True).click()
        assert other_page.is_visible()
        assert page.locator("header").get_by_role("button", name="Se déconnecter").is_visible()
        target = other_page.get_attribute("href")
        other_page.click()
        page.wait_for_url(lambda url: url != home and "#" not in url)
        assert page.url == live_server.url + target
        assert page.get_by_role("heading", level=1).count() == 1

        # The menu's « Fermer » closes it again.
        page.locator("header").get_by_role("link", name="Menu", exact=True).click()
        page.locator("header").get_by_role("link", name="Fermer", exact=True).click()
        assert not navigation.is_visible()
    finally:
        context.close()
