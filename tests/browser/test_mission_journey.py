"""The RUPN mission's journey of the issue: the direction designates a teacher, drafts the lettre de
mission and proposes it; the teacher accepts it; the direction signs it and downloads the PDF, which
holds the letter. axe-core clean on every page visited."""

import io
import re

import pytest
from pypdf import PdfReader

from pilotis.core.school_years import current_school_year
from pilotis.missions.enums import LetterState
from pilotis.missions.models import MissionLetter
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TEACHER = "Sophie Lafitte"


def row_of(site, text):
    return site.page.locator("tbody tr", has_text=text)


def test_direction_designates_drafts_proposes_the_teacher_accepts_and_the_pdf_holds_it(site, demo):
    year = current_school_year()
    mission = f"/etablissements/{COLLEGE_UAI}/mission/"

    site.sign_in("direction")
    site.submit(main_menu(site, "Mission du RUPN"))
    assert site.path == mission
    site.submit(site.page.get_by_role("link", name="Désigner un RUPN"))
    site.page.locator("label", has_text="Un membre de l'équipe, choisi dans la liste").click()  # the DSFR's radio
    site.page.get_by_label(re.compile("Membre de l'équipe")).select_option(label=f"{TEACHER} — membre de l'équipe")
    site.page.get_by_label("Année scolaire").select_option(year)
    imp = site.page.get_by_role("group", name=re.compile("IMP annuelle"))
    assert imp.locator("input:checked").count() == 0  # no rate is preset
    imp.locator("label", has_text="625,00 € — demi-taux").click()
    site.submit(site.page.get_by_role("button", name="Désigner"))
    assert site.path == mission
    assert "625,00 €" in row_of(site, TEACHER).inner_text()

    site.submit(row_of(site, TEACHER).get_by_role("button", name=re.compile("^Rédiger la lettre")))
    assert re.search(r"/lettres/\d+/modifier/$", site.path)
    missions = site.page.locator("fieldset.pilotis-missions select")
    first_text = site.page.locator("fieldset.pilotis-missions label").nth(0).inner_text().split("\n")[0]
    missions.nth(0).select_option("principale")
    missions.nth(3).select_option("secondaire")
    site.page.get_by_label("Temps dégagé").fill("Une heure par semaine")
    site.page.locator("label", has_text="PIL.1.01 —").click()  # as a person does: the DSFR box is its label
    site.submit(site.page.get_by_role("button", name="Enregistrer la lettre"))
    assert re.search(r"/lettres/\d+/$", site.path)
    letter_path = site.path
    site.submit(site.page.get_by_role("button", name="Proposer au RUPN"))
    assert site.page.locator("main .fr-badge").first.text_content() == "Proposée au RUPN"
    site.sign_out()

    site.sign_in("enseignant")
    site.submit(main_menu(site, "Mission du RUPN"))
    # The IMP of another RUPN is not hers to see; her own is.
    assert "625,00 €" in row_of(site, TEACHER).inner_text()
    others = site.page.locator("tbody tr", has_text="Julien Larrieu")
    assert others.count() == 2 and all("€" not in text for text in others.all_inner_texts())
    assert "Proposée au RUPN" in row_of(site, TEACHER).inner_text()
    site.submit(row_of(site, TEACHER).get_by_role("link", name="Lire et répondre"))
    assert site.path == letter_path
    assert site.page.get_by_role("button", name="Signer la lettre").count() == 0
    site.submit(site.page.get_by_role("button", name="Accepter la lettre de mission"))
    assert "Vous avez accepté" in site.page.locator(".fr-alert--success").inner_text()
    site.sign_out()

    site.sign_in("direction")
    site.visit(letter_path)
    site.submit(site.page.get_by_role("link", name="Signer la lettre"))
    assert "ne pourra plus changer" in site.page.locator("main").inner_text()  # asked first
    site.submit(site.page.get_by_role("button", name="Signer la lettre"))
    letter = MissionLetter.objects.get(designation__user__username="enseignant")
    assert letter.state == LetterState.SIGNED and letter.accepted_by.username == "enseignant"
    with site.page.expect_download() as download:
        site.page.get_by_role("link", name="Télécharger (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf") and COLLEGE_UAI in pdf.suggested_filename
    with open(pdf.path(), "rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    assert "Collège du Pays des Luys" in text and TEACHER in text and year in text
    assert " ".join(first_text.split()) in text
    assert "Claire Dubosc" in text  # who signed
    site.sign_out()

    # The DANE follows the network on a phone: tables scroll in their wrapper, never the page.
    site.page.set_viewport_size({"width": 375, "height": 800})
    site.sign_in("dane")
    site.visit("/reseau/")
    assert site.page.evaluate("document.documentElement.scrollWidth") <= 375
    site.assert_clean()
