"""The register of digital services in a browser: the RUPN of the Landes collège finds the school
page's block, opens the register, adds a service and finds it listed; the register's pages (the
list, its filter, the form, a deletion's confirmation, the school's page and the letter's review)
pass axe-core, at desktop width and on a 375 px phone without sideways scroll."""

import pytest
from django.urls import reverse

from pilotis.digital_services.models import DigitalService
from pilotis.missions.models import MissionLetter
from pilotis.territories.models import School
from tests.browser.conftest import COLLEGE_UAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def test_the_rupn_adds_a_service_and_the_register_shows_it_on_a_desktop_and_a_phone(site, demo):
    college = School.objects.get(uai=COLLEGE_UAI)
    home = reverse("digital_services:home", args=[COLLEGE_UAI])
    site.sign_in("rupn")
    site.visit(reverse("territories:school_detail", args=[COLLEGE_UAI]))
    block = site.page.locator("#panel-digital-services").locator("xpath=..")
    assert "6 services numériques ; 3 sans administrateur à l’établissement" in " ".join(block.inner_text().split())
    site.submit(block.get_by_role("link", name="Voir le registre des services numériques"))
    assert site.path == home
    assert "Nextcloud du collège" in site.page.locator("table").inner_text()

    site.submit(site.page.get_by_role("link", name="Ajouter un service"))
    assert site.path == reverse("digital_services:create", args=[COLLEGE_UAI])
    form = site.page.locator("main form[method=post]")
    form.locator("#id_kind").select_option("other")
    form.locator("#id_name").fill("Capytale")
    form.locator("#id_address").fill("https://capytale.example.fr")
    form.locator("label", has_text="Julien Larrieu").click()  # the demo's RUPN (DSFR: the label takes the click)
    form.locator("#id_since").fill("2023")
    form.locator("#id_support_channel").fill("DANE")
    site.submit(form.get_by_role("button", name="Enregistrer le service"))
    assert site.path == home
    main = site.page.locator("main").inner_text()
    assert "Le service « Capytale » est ajouté au registre." in main
    row = site.page.locator("tr", has_text="Capytale")
    assert "Autre" in row.inner_text() and "2023" in row.inner_text() and "DANE" in row.inner_text()
    added = DigitalService.objects.get(school=college, name="Capytale")
    assert [u.username for u in added.administrators.all()] == ["rupn"]

    letter = MissionLetter.objects.filter(school=college).order_by("-pk").first()
    pages = [
        home,
        home + "?nature=storage",
        reverse("digital_services:create", args=[COLLEGE_UAI]),
        reverse("digital_services:edit", args=[COLLEGE_UAI, added.pk]),
        reverse("digital_services:delete", args=[COLLEGE_UAI, added.pk]),
        reverse("territories:school_detail", args=[COLLEGE_UAI]),
        reverse("missions:letter", args=[COLLEGE_UAI, letter.pk]),
    ]
    for path in pages:
        site.visit(path)
    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in pages:
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"on a 375 px phone these pages scroll sideways: {too_wide}"
    site.assert_clean()
