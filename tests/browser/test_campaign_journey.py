"""A DANE opens next year's campaign in advance: it waits for its date (« Programmée »), and the
Landes collège's RUPN still works on this year's self-assessment, and reaches last year's."""

import re

import pytest

from pilotis.core.school_years import current_school_year
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.test_schematic_journey import main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_next_years_campaign_waits_and_past_years_stay_reachable(site, demo):
    year = current_school_year()
    start = int(year[:4])
    next_year, last_year = f"{start + 1}-{start + 2}", f"{start - 1}-{start}"

    site.sign_in("dane")
    site.submit(main_menu(site, "Campagnes"))
    form = site.page.locator("form", has=site.page.get_by_role("button", name="Ouvrir la campagne"))
    form.get_by_label(re.compile("Année scolaire")).fill(next_year)
    form.get_by_label("Ouverture").fill(f"{start + 1}-09-15")
    form.get_by_label("Clôture prévue").fill(f"{start + 2}-06-30")
    site.submit(form.get_by_role("button", name="Ouvrir la campagne"))
    assert "programmée" in site.page.locator(".fr-alert--success, .fr-alert").first.inner_text()
    row = site.page.locator("tr", has_text=next_year)
    assert "Programmée" in row.text_content()
    assert "Ouverte" in site.page.locator("tr", has_text=year).text_content()
    site.sign_out()

    site.sign_in("rupn")
    site.submit(main_menu(site, "Autodiagnostic SCHÉMATIC"))
    assert site.path == f"/etablissements/{COLLEGE_UAI}/schematic/{year}/"
    # From this year's self-assessment to the school's campaigns, then last year's synthesis.
    site.submit(site.page.get_by_role("link", name="Autodiagnostics SCHÉMATIC", exact=True))
    assert site.path == f"/etablissements/{COLLEGE_UAI}/schematic/"
    assert "Programmée" in site.page.locator("li", has_text=f"Campagne {next_year}").first.text_content()
    site.submit(site.page.get_by_role("link", name=f"Synthèse {last_year}"))
    assert site.path == f"/etablissements/{COLLEGE_UAI}/schematic/{last_year}/synthese/"
    site.assert_clean()
