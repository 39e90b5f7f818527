"""The demandes d'assistance's journey: the collège's RUPN writes a network request, which the
routing table sends to the Landes' GLPI (the fake one, speaking the real API); « Envoyer » asks
first, naming the channel; the worker's part runs here (its task functions, called directly); the
ticket's state comes back on the page. The DANE reads the channels (credentials « configurés »,
never shown) and the routing table. Every page visited passes axe-core, at desktop width and on
a 375 px phone."""

import pytest

from pilotis.demo.glpi import FakeGlpi
from pilotis.support import services
from pilotis.support.models import SupportRequest
from tests.browser.conftest import COLLEGE_UAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}
APP_TOKEN, USER_TOKEN = "journey-app-token-secret", "journey-user-token-secret"


@pytest.fixture
def glpi(settings):
    server = FakeGlpi(app_token=APP_TOKEN, user_token=USER_TOKEN).start()
    settings.SUPPORT_GLPI = {"landes": {"URL": server.url, "APP_TOKEN": APP_TOKEN, "USER_TOKEN": USER_TOKEN}}
    settings.SUPPORT_GLPI_TIMEOUT = 2
    yield server
    server.stop()


def test_a_request_goes_to_the_glpi_and_its_state_comes_back(site, glpi, demo):
    home = f"/etablissements/{COLLEGE_UAI}/assistance/"
    site.sign_in("rupn")
    site.visit(home)
    site.submit(site.page.get_by_role("link", name="Nouvelle demande"))
    main = site.page.locator("main")
    main.locator("#id_subject").fill("Le vidéoprojecteur de la salle 12 ne s'allume plus")
    main.locator("#id_category").select_option("devices")
    main.locator("#id_urgency").select_option("high")
    main.locator("#id_description").fill("Plus d'image depuis ce matin ; la lampe clignote.")
    main.locator("#id_place").fill("Salle 12")
    site.submit(main.get_by_role("button", name="Enregistrer le brouillon"))
    request = SupportRequest.objects.latest("pk")
    assert site.path == f"{home}{request.pk}/"
    assert "Département des Landes" in site.page.locator("main").inner_text()

    site.submit(site.page.locator("main").get_by_role("link", name="Envoyer", exact=True))
    assert "comme ticket dans son GLPI" in site.page.locator("main").inner_text()
    site.submit(site.page.get_by_role("button", name="Envoyer à Département des Landes"))
    assert site.path == f"{home}{request.pk}/"

    # The worker's part, here: the ticket is created, then its state followed.
    assert services.deliver(request.pk) == "sent"
    ticket = glpi.tickets[1]
    assert ticket["name"] == f"[{COLLEGE_UAI}] Le vidéoprojecteur de la salle 12 ne s'allume plus"
    assert (ticket["urgency"], ticket["itilcategories_id"]) == (4, 14)
    site.visit(f"{home}{request.pk}/")
    text = site.page.locator("main").inner_text()
    assert "Envoyée" in text and "référence 1" in text

    glpi.set_status(1, 2)
    assert services.follow(request.pk) == "taken"
    site.visit(f"{home}{request.pk}/")
    assert "Prise en charge" in site.page.locator("main").inner_text()
    site.visit(home)
    assert "prise en charge" in site.page.locator("main").inner_text().lower()  # a badge, in capitals

    site.sign_out()
    site.sign_in("dane")
    site.visit("/assistance/")
    text = site.page.locator("main").inner_text().lower()
    assert "identifiants configurés" in text and "lycée connecté" in text
    assert APP_TOKEN not in site.page.content() and USER_TOKEN not in site.page.content()

    site.sign_out()
    site.sign_in("rupn")
    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in (home, f"{home}{request.pk}/", f"{home}nouvelle-demande/"):
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"on a 375 px phone these pages scroll sideways: {too_wide}"
    site.assert_clean()
