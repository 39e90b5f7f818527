"""The flash'infos' journey: the RUPN drops the demo's draft, has Pilotis prepare a new one,
previews and saves their text, adds an address to the list, reads what the publication will do
and publishes; the outbox sends it; a teacher reads the issue. Every page visited passes axe-core
(Site.check), at desktop width and on a 375 px phone without sideways scroll."""

import pytest

from pilotis.core import outbox
from pilotis.newsletters.models import Newsletter
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 800}
HOME = f"/etablissements/{COLLEGE_UAI}/flash-infos/"


def test_a_flash_infos_is_drafted_edited_and_published(site, demo):
    site.sign_in("rupn")
    site.visit(f"/etablissements/{COLLEGE_UAI}/")
    assert "Dernier flash'infos : n° 2, publié le" in site.page.locator("main").inner_text()
    site.visit(HOME)
    main = site.page.locator("main")
    assert "n° 1" in main.inner_text() and "n° 2" in main.inner_text()

    # The demo's draft goes, through its confirmation page.
    draft = Newsletter.objects.get(school__uai=COLLEGE_UAI, number=None)
    site.visit(f"{HOME}{draft.pk}/")
    site.submit(site.page.get_by_role("link", name="Supprimer le brouillon"))
    site.submit(site.page.get_by_role("button", name="Supprimer le brouillon"))
    assert site.path == HOME

    # Pilotis prepares the next one from what happened since n° 2.
    site.submit(site.page.get_by_role("button", name="Préparer le prochain flash'infos"))
    issue = Newsletter.objects.get(school__uai=COLLEGE_UAI, number=None)
    assert site.path == f"{HOME}{issue.pk}/modifier/"
    site.page.get_by_label(label("Titre")).fill("Flash'infos de l’hiver")
    site.page.get_by_label(label("Texte")).fill(
        "## Le mot du RUPN\n\nBonne fin de trimestre **à tous**.\n\n## Les ateliers\n\n- Pix en janvier"
    )
    site.submit(site.page.get_by_role("button", name="Prévisualiser sans enregistrer"))
    assert site.page.locator("section[aria-labelledby=apercu] strong").inner_text() == "à tous"
    site.submit(site.page.get_by_role("button", name="Enregistrer", exact=True))
    assert site.path == f"{HOME}{issue.pk}/"

    # One more address on the list, then the publication's page says what it will do.
    site.visit(f"{HOME}reglages/")
    site.page.get_by_label(label("Adresse électronique")).fill("foyer@example.org")
    site.page.get_by_label(label("Libellé")).fill("Foyer socio-éducatif")
    site.submit(site.page.get_by_role("button", name="Ajouter l’adresse"))
    assert "foyer@example.org" in site.page.locator("main").inner_text()

    site.visit(f"{HOME}{issue.pk}/publier/")
    text = site.page.locator("main").inner_text()
    assert "n° 3" in text and "3 adresse(s) de la liste de diffusion" in text
    assert "Il n’a pas été relu par la direction." in text
    site.submit(site.page.get_by_role("button", name="Publier et envoyer"))
    issue.refresh_from_db()
    assert issue.number == 3 and site.path == f"{HOME}{issue.pk}/"

    outbox.send(issue.mailing.pk)
    site.visit(f"{HOME}{issue.pk}/")
    total = issue.mailing.total
    assert f"{total} envoyé(s) sur {total}" in site.page.locator("main").inner_text()

    pages = [HOME, f"{HOME}{issue.pk}/", f"{HOME}reglages/", f"/etablissements/{COLLEGE_UAI}/"]
    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in pages:
        site.visit(path)
        if (width := site.page.evaluate("document.documentElement.scrollWidth")) > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"on a 375 px phone these pages scroll sideways: {too_wide}"

    # A teacher reads the issue.
    site.page.set_viewport_size({"width": 1280, "height": 900})
    site.sign_out()
    site.sign_in("enseignant")
    site.visit(f"{HOME}{issue.pk}/")
    assert "Bonne fin de trimestre" in site.page.locator("main").inner_text()
    site.assert_clean()


def test_the_direction_proofreads_the_draft(site, demo):
    draft = Newsletter.objects.get(school__uai=COLLEGE_UAI, number=None)
    site.sign_in("direction")
    site.visit(HOME)
    site.visit(f"{HOME}{draft.pk}/")
    site.submit(site.page.get_by_role("link", name="Relire"))
    site.page.get_by_label(label("Commentaire pour le RUPN")).fill("Pensez au mot du RUPN.")
    site.submit(site.page.get_by_role("button", name="Marquer comme relu"))
    assert site.path == f"{HOME}{draft.pk}/"
    assert "Relu par" in site.page.locator("main").inner_text()
    draft.refresh_from_db()
    assert draft.is_proofread and draft.proofread_comment == "Pensez au mot du RUPN."
    # The publication's page no longer warns about the proof-reading; the list can be mended.
    site.visit(f"{HOME}{draft.pk}/publier/")
    assert "n’a pas été relu" not in site.page.locator("main").inner_text()
    site.visit(f"{HOME}reglages/")
    site.submit(site.page.get_by_role("link", name="Retirer cdi.college@example.org"))
    assert "Retirer « cdi.college@example.org » de la liste" in site.page.locator("h1").inner_text()
    site.assert_clean()
