"""The SCHÉMATIC journey of the issue: the RUPN answers in two domains, reloads and finds the
answers, the direction validates, the PDF is downloaded and holds the answers."""

import io
import re

import pytest
from pypdf import PdfReader

from pilotis.core.school_years import current_school_year
from pilotis.referential.models import Indicator
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMMENT = "Charte adoptée au CA de novembre"


def tab(site, name):
    return site.page.get_by_role("navigation", name=re.compile("Onglets")).get_by_role("link", name=name, exact=True)


def answer(site, code, choice, *, comment=None):
    """Chooses an answer as a person does: a click on the label; the autosave saves it at once."""
    form = site.page.locator(f'[id="i-{code}"]')
    if comment is not None:
        form.get_by_label(re.compile("Commentaire")).fill(comment)
    form.locator("label", has_text=re.compile(f"^{choice}$")).click()
    # The row is replaced by the server's answer, which says it is saved.
    site.page.locator(f'[id="i-{code}"] .pilotis-save-state', has_text="Enregistré").wait_for()
    return form


def test_rupn_answers_direction_validates_and_the_pdf_holds_the_answers(site, demo):
    year = current_school_year()
    home = f"/etablissements/{COLLEGE_UAI}/schematic/{year}/"

    site.sign_in("rupn")
    site.submit(main_menu(site, "Autodiagnostic SCHÉMATIC"))
    assert site.path == home

    site.submit(tab(site, "Pilotage, impulsion et organisation"))
    answer(site, "PIL.1.01", "Réalisé")
    answer(site, "PIL.1.02", "En cours de réalisation", comment=COMMENT)
    site.check("after two autosaves", 200)
    site.submit(tab(site, "Infrastructure réseau – équipement"))
    answer(site, "INF.1.01", "Réalisé")
    site.check("after an autosave", 200)

    # Reloaded from the server, the answers are there.
    site.visit(f"{home}domaines/PIL/")
    assert site.page.locator('[id="r-PIL.1.01-realise"]').is_checked()
    assert site.page.locator('[id="r-PIL.1.02-en_cours"]').is_checked()
    assert site.page.locator('[id="c-PIL.1.02"]').input_value() == COMMENT
    site.visit(f"{home}domaines/INF/")
    assert site.page.locator('[id="r-INF.1.01-realise"]').is_checked()
    # The RUPN may not validate.
    site.visit(home)
    assert site.page.get_by_role("link", name="Valider", exact=True).count() == 0
    site.sign_out()

    site.sign_in("direction")
    site.visit(home)
    # Valider asks first (tests/browser/test_validation_journey.py follows that page further).
    site.submit(site.page.get_by_role("link", name="Valider", exact=True))
    site.submit(site.page.get_by_role("button", name="Valider l’autodiagnostic"))
    assert site.path == home
    assert "Validé par Claire Dubosc" in site.page.locator("main").inner_text()
    # Validated: the domain tab is read-only.
    site.submit(tab(site, "Pilotage, impulsion et organisation"))
    assert site.page.locator('[id="r-PIL.1.01-realise"]').is_disabled()

    site.submit(tab(site, "Édition"))
    with site.page.expect_download() as download:
        site.page.locator("a[href$='rapport.pdf']").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf") and COLLEGE_UAI in pdf.suggested_filename
    with open(pdf.path(), "rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    assert "Collège du Pays des Luys" in text
    assert year in text
    assert "Validé par Claire Dubosc" in text
    assert "Intégration du numérique au projet d'établissement" in text
    assert COMMENT in text
    assert "En cours de réalisation" in text
    # Row by row: each answered indicator's statement, then the answer chosen, then its comment;
    # an indicator left alone says so.
    rows = pdf_rows(text)
    statements = {
        code: " ".join(statement.split())
        for code, statement in Indicator.objects.filter(version__version="2021").values_list("code", "statement")
    }
    assert rows["PIL.1.01"] == f"{statements['PIL.1.01']} Réalisé"
    assert rows["PIL.1.02"] == f"{statements['PIL.1.02']} En cours de réalisation {COMMENT}"
    assert rows["INF.1.01"] == f"{statements['INF.1.01']} Réalisé"
    assert rows["PIL.1.03"].startswith(f"{statements['PIL.1.03']} Non renseigné")
    site.assert_clean()


def pdf_rows(text):
    """The report's domain tables: each indicator's code → the text of the rest of its row."""
    parts = re.split(r"\b([A-Z]{2,10}\.\d\.\d{2}) ", text)
    return {code: rest.strip() for code, rest in zip(parts[1::2], parts[2::2], strict=True)}
