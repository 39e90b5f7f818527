"""The evidence half of the issue's journey: the direction attaches a PDF to an indicator's answer,
finds its name on the synthesis and in the PDF report; a renamed executable is refused with the
French sentence and nothing is kept; a piece is removed through its confirmation page. Every page
visited passes axe-core (Site.check), at desktop width and on a 375 px phone."""

import io
import re

import pytest
from pypdf import PdfReader

from pilotis.core.school_years import current_school_year
from pilotis.evidence.models import Piece
from tests.browser.conftest import COLLEGE_UAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "Volet numérique du projet.pdf"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PHONE = {"width": 375, "height": 800}


def test_the_direction_attaches_a_pdf_finds_it_in_the_report_and_an_executable_is_refused(site, demo):
    year = current_school_year()
    home = f"/etablissements/{COLLEGE_UAI}/schematic/{year}/"
    history = f"{home}indicateurs/PIL.1.06/historique/"
    site.sign_in("direction")
    site.visit(f"{home}domaines/PIL/")
    # The demo's pieces are counted beside the answer, with the way to them.
    notes = site.page.locator('[id="i-PIL.1.06"]')
    assert "2 pièces justificatives jointes" in notes.inner_text()
    site.submit(notes.get_by_role("link", name=re.compile("^Voir les pièces")))
    assert site.path == history

    block = site.page.locator("#pieces")
    block.get_by_label(re.compile("^Fichier")).set_input_files(
        {"name": NAME, "mimeType": "application/pdf", "buffer": PDF}
    )
    site.submit(block.get_by_role("button", name="Joindre le fichier"))
    assert site.path == history
    main = site.page.locator("main")
    assert f"« {NAME} » est jointe à la réponse à l'indicateur PIL.1.06." in main.inner_text()
    assert site.page.locator("#pieces").get_by_role("link", name=re.compile("^" + re.escape(NAME))).count() == 1

    # An executable renamed .pdf: refused with the sentence, nothing kept.
    count = Piece.objects.count()
    block = site.page.locator("#pieces")
    block.get_by_label(re.compile("^Fichier")).set_input_files(
        {"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 2000}
    )
    site.submit(block.get_by_role("button", name="Joindre le fichier"), status=400)
    assert (
        "Ce type de fichier n'est pas accepté : « rapport.pdf » est un programme Windows, pas un document."
        in site.page.locator("main").inner_text()
    )
    assert Piece.objects.count() == count

    # The synthesis and the PDF report name it under its indicator.
    site.visit(f"{home}synthese/")
    assert NAME in site.page.locator("main").inner_text()
    site.visit(f"{home}edition/")
    with site.page.expect_download() as download:
        site.page.locator("a[href$='rapport.pdf']").click()
    with open(download.value.path(), "rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    assert (
        f"Pièces justificatives : Ordre du jour conseil pédagogique.pdf, Catalogue CARTOUN (présentation) (lien), {NAME}"
        in text
    )

    # Removing the demo's link asks first, then keeps its trace.
    site.visit(history)
    site.submit(site.page.locator("#pieces").get_by_role("link", name=re.compile("^Retirer Catalogue CARTOUN")))
    assert "/pieces/" in site.path and "/retirer/" in site.path
    confirm = site.path
    site.submit(site.page.get_by_role("button", name="Retirer la pièce"))
    assert site.path == history
    assert "retirée par Claire Dubosc" in site.page.locator("#pieces").inner_text()

    # The school's page leads to the list of its pieces, with what each is attached to.
    site.visit(f"/etablissements/{COLLEGE_UAI}/")
    site.submit(site.page.get_by_role("link", name="Voir les pièces justificatives"))
    listing = site.path
    assert listing == f"/etablissements/{COLLEGE_UAI}/pieces/"
    assert NAME in site.page.locator("main").inner_text()

    # The pages of the evidence on a phone: nothing scrolls sideways.
    add = f"/etablissements/{COLLEGE_UAI}/pieces/ajouter/?kind=file&target=answer&target_id={Piece.objects.get(name=NAME).answer_id}"
    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in (
        history,
        add,
        confirm.replace(str(Piece.objects.get(name__startswith="Catalogue").pk), str(Piece.objects.get(name=NAME).pk)),
    ):
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, too_wide
    site.assert_clean()
