"""The DANE exports the académie's heat map past the background threshold: the link opens the
offer, the button starts the job, the page follows it by itself while the worker writes the file,
then offers the download; « Mes exports » lists it. axe-core clean."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from pilotis.assessments.models import Campaign
from pilotis.core.school_years import current_school_year
from pilotis.territories.models import School

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dane_prepares_the_heat_map_in_the_background(site, demo, settings):
    settings.EXPORT_BACKGROUND_ROWS = 100  # the demo académie's heat map has more rows than that
    campaign = Campaign.objects.get(school_year=current_school_year())
    schools = School.objects.filter(department__academy=campaign.academy, is_open=True).count()
    site.sign_in("dane")
    site.visit(f"/pilotage/{campaign.pk}/maturite/")
    site.submit(site.page.get_by_role("link", name="Exporter (CSV)"))
    main = site.page.locator("main")
    assert f"Cet export compte {schools} lignes : il sera préparé en arrière-plan" in main.inner_text()

    site.submit(site.page.get_by_role("button", name="Préparer l’export CSV"))
    assert site.path.startswith("/telechargements/")
    assert "attend son tour" in main.inner_text()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    # No reload: the page asks where the export stands every 2 seconds and shows the link.
    link = site.page.locator("#export-download")
    link.wait_for()
    site.check("the job page, once ready", 200)  # axe-core on the block the polling brought
    assert f"Télécharger ({schools} lignes" in link.inner_text()
    with site.page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["UAI", "Établissement"] and len(rows) == schools + 1

    site.visit("/telechargements/")
    assert "Maturité" in site.page.locator("main table").inner_text()
    site.assert_clean()
