"""The equipment needs, as their people use them: the RUPN records a need linked to an
Infrastructure indicator, the direction prioritises it and downloads the « Demande d'équipement »
(the PDF holds the need), then asks to transmit it (the confirmation says where it goes). And every
page of the part, for each role that sees it: axe clean, no console error, one <h1>, at desktop
width and on a 375 px phone without sideways scroll."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pilotis.core.school_years import current_school_year
from pilotis.equipment.enums import NeedState
from pilotis.equipment.models import Need
from pilotis.territories.models import School
from tests.browser.conftest import COLLEGE_UAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def test_the_rupn_records_a_need_the_direction_prioritises_and_downloads_the_request(site, demo):
    home = reverse("equipment:home", args=[COLLEGE_UAI])
    site.sign_in("rupn")
    site.visit(home)
    site.submit(site.page.get_by_role("link", name="Enregistrer un besoin"))
    site.page.locator("#id_category").select_option("network")
    site.page.locator("#id_object").fill("Borne wifi pour la salle polyvalente")
    site.page.locator("#id_quantity").fill("2")
    site.page.locator("#id_place").fill("Salle polyvalente")
    site.page.locator("#id_why").fill("La salle polyvalente n'a aucune couverture wifi.")
    site.page.locator("label", has_text="INF.1.02 —").click()
    site.page.locator("#id_estimated_cost").fill("1 300")
    site.submit(site.page.get_by_role("button", name="Enregistrer le besoin"))
    need = Need.objects.get(object="Borne wifi pour la salle polyvalente")
    assert site.path == reverse("equipment:detail", args=[COLLEGE_UAI, need.pk])
    assert need.indicator_codes == ["INF.1.02"] and need.state == NeedState.IDENTIFIED
    assert "1 300 €" in site.page.locator("main").inner_text().replace("\u00a0", " ")
    site.sign_out()

    site.sign_in("direction")
    site.visit(home)
    site.submit(site.page.get_by_role("link", name="Classer les besoins par priorité"))
    site.page.get_by_label("Rang de « Borne wifi pour la salle polyvalente »").fill("1")
    site.submit(site.page.get_by_role("button", name="Enregistrer le classement"))
    need.refresh_from_db()
    assert site.path == home and need.state == NeedState.PRIORITISED and need.rank == 1
    with site.page.expect_download() as download:
        site.page.get_by_role("link", name="Télécharger la demande (Département) en PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf") and COLLEGE_UAI in pdf.suggested_filename
    with open(pdf.path(), "rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    assert "Demande d'équipement" in text and "Borne wifi pour la salle polyvalente" in text
    assert "INF.1.02" in text and "Salle polyvalente" in text
    site.submit(site.page.get_by_role("link", name="Transmettre à la collectivité (Département)"))
    main = site.page.locator("main").inner_text()
    assert "equipement-colleges@landes.example.fr" in main and "Borne wifi pour la salle polyvalente" in main
    site.submit(site.page.get_by_role("button", name="Transmettre la demande"))
    need.refresh_from_db()
    assert site.path == home and need.state == NeedState.TRANSMITTED
    site.assert_clean()


def _pages(role) -> list[str]:
    college = School.objects.get(uai=COLLEGE_UAI)
    needs = Need.objects.filter(school=college)
    identified = needs.filter(state=NeedState.IDENTIFIED).first().pk
    delivered = needs.filter(state=NeedState.DELIVERED).first().pk
    prioritised = needs.filter(state=NeedState.PRIORITISED).first().pk
    year = current_school_year()
    read = [
        reverse("equipment:home", args=[COLLEGE_UAI]),
        reverse("equipment:detail", args=[COLLEGE_UAI, delivered]),
        reverse("equipment:detail", args=[COLLEGE_UAI, prioritised]),
        reverse("assessments:domain", args=[COLLEGE_UAI, year, "INF"]),  # the notes beside INF.*
        reverse("territories:school_detail", args=[COLLEGE_UAI]),  # the needs block
    ]
    if role == "rupn":
        return read + [
            reverse("equipment:create", args=[COLLEGE_UAI]),
            reverse("equipment:edit", args=[COLLEGE_UAI, identified]),
            reverse("equipment:delete", args=[COLLEGE_UAI, identified]),
        ]
    if role == "direction":
        return read[:1] + [
            reverse("equipment:rank", args=[COLLEGE_UAI]),
            reverse("equipment:transmit", args=[COLLEGE_UAI, "departement"]),
        ]
    if role == "read":
        return read
    if role == "rupn64":
        return [reverse("equipment:home", args=["0640001D"])]
    territory = [reverse("territory_needs:overview"), reverse("territory_needs:collectivities")]
    if role == "dane":
        department = college.department
        return territory + [
            reverse("territory_needs:overview") + f"?department={department.code}&state=prioritised",
            reverse("territory_needs:collectivity_department", args=[department.code]),
            reverse("territory_needs:collectivity_region", args=[department.academy.code]),
            read[0],
        ]
    return territory


ROLES = ["rupn", "direction", "enseignant", "rupn64", "correspondant40", "dane"]


@pytest.mark.parametrize("username", ROLES, ids=ROLES)
def test_every_page_of_the_equipment_needs_is_accessible_on_a_desktop_and_a_phone(site, demo, username):
    pages = _pages("read" if username == "enseignant" else username)
    site.sign_in(username)
    for path in pages:
        site.visit(path)
    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in pages:
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"{username}: on a 375 px phone these pages scroll sideways: {too_wide}"
    site.assert_clean()
