"""The DANE and a correspondent follow the demo académie's campaign on the dashboards: every tab,
a filter, a sort, the drill-down to a school's synthesis and an export, axe-core clean."""

import io
import re
from pathlib import Path

import odfdo
import pytest
from django.core.management import call_command

from pilotis.assessments.models import Campaign
from pilotis.core.school_years import current_school_year
from pilotis.territories.models import School
from tests.browser.conftest import COLLEGE_UAI, LYCEE_UAI
from tests.browser.pages import main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link(site, navigation, name):
    return site.page.get_by_role("navigation", name=navigation).get_by_role("link", name=name, exact=True)


def test_the_dane_follows_the_campaign_on_every_dashboard(site, demo, mailoutbox):
    campaign = Campaign.objects.get(school_year=current_school_year())
    site.sign_in("dane")
    site.submit(main_menu(site, "Pilotage"))
    assert site.path == f"/pilotage/{campaign.pk}/avancement/"
    tiles = site.page.locator(".fr-tile__title a")
    assert tiles.count() == 3

    site.submit(tiles.nth(2))  # Validés
    assert "state=validated" in site.path

    # Remind the Landes schools that have not started; the worker sends the e-mails.
    site.submit(tiles.nth(0))
    site.submit(site.page.get_by_role("link", name="Relancer ces établissements…"))
    site.page.get_by_label("Département").select_option(label="40 Landes")
    site.submit(site.page.get_by_role("button", name="Compter les établissements"))
    # The send asks first: how many schools, who is written to, the e-mail itself.
    site.submit(site.page.get_by_role("link", name=re.compile(r"^Relancer \d+ établissements?…")))
    assert "Le courriel, tel que le recevra" in site.page.locator("main").inner_text()
    site.submit(site.page.get_by_role("button", name=re.compile("^Envoyer la relance")))
    assert "part en arrière-plan" in site.page.locator(".fr-alert--success").inner_text()
    # The page does not invite a second send without saying one was just sent.
    assert "Relance envoyée aujourd’hui à" in site.page.locator("main").inner_text()
    assert site.page.get_by_role("link", name="Relancer de nouveau…").count() == 1
    history = site.page.locator("table").last
    assert "en cours" in history.inner_text()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    site.visit(site.path)
    assert "terminé le" in site.page.locator("table").last.inner_text()
    # The demo collège of the Landes has not started this year: its direction and RUPN are told.
    college = School.objects.get(uai=COLLEGE_UAI)
    assert [sorted(m.to) for m in mailoutbox if college.name in m.subject] == [
        ["direction@demo.pilotis.example.org", "rupn@demo.pilotis.example.org"]
    ]

    site.submit(link(site, "Tableaux de bord", "Maturité"))
    heat_map = site.page.locator(".pilotis-heatmap table")
    site.submit(heat_map.get_by_role("link", name="Infrastructure réseau – équipement"))
    assert site.page.locator('th[aria-sort="descending"]').inner_text().startswith("Infrastructure")
    site.page.get_by_label("Département").select_option(label="40 Landes")
    site.submit(site.page.get_by_role("button", name="Afficher"))
    landes = set(School.objects.filter(department__code="040").values_list("name", flat=True))
    names = site.page.locator(".pilotis-heatmap tbody th a").all_inner_texts()
    assert names and set(names) <= landes

    # The drill-down: a school's synthesis, read-only.
    site.submit(site.page.locator(".pilotis-heatmap tbody th a").first)
    assert "/synthese/" in site.path
    site.page.go_back()

    site.visit(f"/pilotage/{campaign.pk}/indicateurs/")
    site.submit(site.page.get_by_role("link", name="Non réalisé", exact=True))
    assert site.page.locator('th[aria-sort="descending"]').inner_text() == "Non réalisé"
    with site.page.expect_download() as download:
        site.page.get_by_role("link", name="Exporter (ODS)").click()
    table = odfdo.Document(io.BytesIO(Path(download.value.path()).read_bytes())).body.get_table(0)
    codes = [row[0] for row in table.get_values()[1:]]
    assert len(codes) == 81 and all(re.match(r"^[A-Z]{3}\.\d\.\d\d$", code) for code in codes)

    site.submit(link(site, "Tableaux de bord", "Évolution"))
    headers = site.page.locator("thead th").all_inner_texts()
    assert headers[1:] == sorted(Campaign.objects.values_list("school_year", flat=True))
    site.assert_clean()


def test_a_correspondent_sees_only_their_departement(site, demo):
    campaign = Campaign.objects.get(school_year=current_school_year())
    site.sign_in("correspondant64")
    site.submit(main_menu(site, "Pilotage"))
    assert "Pyrénées-Atlantiques" in site.page.locator(".fr-text--lead").inner_text()
    for tab in ["Maturité", "Indicateurs", "Évolution"]:
        site.submit(link(site, "Tableaux de bord", tab))
    # Another département's school is nowhere, even asked for by hand.
    college = School.objects.get(uai=COLLEGE_UAI)
    site.visit(f"/pilotage/{campaign.pk}/maturite/?q={COLLEGE_UAI}")
    assert college.name not in site.page.content()
    assert site.status_of(f"/pilotage/{campaign.pk}/maturite/?q={LYCEE_UAI}") == 200
    site.assert_clean()
