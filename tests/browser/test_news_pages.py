"""The académie's news in a browser: the Landes correspondent writes an item (previewed first),
publishes it after the confirmation and follows its sending; the collège's RUPN finds it on his
school's page and in his list, reads it, and Pilotis says when. Every page visited: axe clean, no
console error, one <h1>; on a 375 px phone, no sideways scroll."""

import pytest
from django.urls import reverse

from pilotis.news.models import NewsItem, NewsReading
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
TITLE = "Atelier IA générative : inscriptions ouvertes"


def test_a_correspondent_publishes_and_a_rupn_reads(site, demo):
    page = site.page
    site.sign_in("correspondant40")
    site.visit(reverse("news:manage"))
    site.submit(page.get_by_role("link", name="Écrire une actualité"))
    page.get_by_label(label("Titre")).fill(TITLE)
    page.get_by_label(label("Texte")).fill("Les **inscriptions** sont ouvertes.\n\n- mercredi 14 h\n- collège de Dax")
    page.get_by_label(label("Lien vers la ressource")).fill("https://example.org/atelier-ia")
    site.submit(page.get_by_role("button", name="Prévisualiser"))
    assert page.locator(".pilotis-markdown strong").inner_text() == "inscriptions"
    site.submit(page.get_by_role("button", name="Enregistrer le brouillon"))
    item = NewsItem.objects.get(title=TITLE)
    assert item.department.code == "040" and item.published_at is None

    site.submit(page.get_by_role("link", name="Publier et envoyer"))
    assert "Cette actualité sera envoyée par courriel à" in page.locator("main").inner_text()
    site.submit(page.get_by_role("button", name="Publier et envoyer"))
    assert site.path == reverse("news:sending", args=[item.pk])
    assert "courriels envoyés sur" in page.locator("main").inner_text()
    site.sign_out()

    site.sign_in("rupn")
    site.visit(reverse("territories:school_detail", args=[COLLEGE_UAI]))
    panel = page.locator("#panel-news").locator("xpath=..")
    assert TITLE in panel.inner_text()
    site.submit(panel.get_by_role("link", name=TITLE))
    assert "Lue le" in page.locator("main").text_content()
    assert NewsReading.objects.filter(item=item, user__username="rupn").exists()
    site.visit(reverse("news:index"))

    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in (reverse("news:index"), reverse("news:item", args=[item.pk])):
        site.visit(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"on a 375 px phone these pages scroll sideways: {too_wide}"
    site.assert_clean()


def test_the_authors_pages_are_accessible(site, demo):
    site.sign_in("dane")
    item = NewsItem.objects.order_by("pk").first()
    for path in (
        reverse("news:manage"),
        reverse("news:create"),
        reverse("news:item", args=[item.pk]),
        reverse("news:sending", args=[item.pk]),
        reverse("news:withdraw", args=[item.pk]),
    ):
        site.visit(path)
    site.page.set_viewport_size(PHONE)
    site.visit(reverse("news:manage"))
    assert site.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    site.assert_clean()
