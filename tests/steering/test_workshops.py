"""Pilotage's « Ateliers et formations »: the territory's totals, the themes most worked on, the
figures per school, the scope and the département filter, the exports and the query counts."""

import csv
import io

import odfdo
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.accounts.enums import SchoolRole
from pilotis.territories.models import School
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, open_campaign
from tests.workshops.conftest import YEAR, held, record

pytestmark = pytest.mark.django_db


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def this_year(world, mini_referential):
    """The campaign of the current school year: the sessions below are of that year."""
    return open_campaign(world, mini_referential, YEAR)


@pytest.fixture
def sessions(world):
    """School A (Landes): two sessions, ENT then Pix; school B (Pyrénées-Atlantiques): one ENT session;
    school C (Rennes) one, out of the académie."""
    held(world, present=[world.chef_a.pk, world.member_a.pk], counted=10, theme="ent", duration_minutes=90)
    held(world, present=[], counted=25, theme="pix", duration_minutes=60, participants=[])
    record(world, school=world.school_b, by=world.rupn_b, theme="ent", duration_minutes=30, participant_count=4)
    record(world, school=world.school_c, by=world.chef_c, theme="ia", duration_minutes=600, participant_count=99)


def page(client, campaign, query=""):
    response = client.get(reverse("steering:workshops", args=[campaign.pk]) + query)
    assert response.status_code == 200
    return flat(response.content.decode())


def test_the_dane_sees_the_academys_totals_themes_and_schools(client_for, world, this_year, sessions):
    html = page(client_for("dane"), this_year)
    assert "Ateliers et formations des établissements" in html
    # 3 sessions, 3 hours, 2 + 10 + 25 + 4 participants; Rennes' school is not counted.
    assert '<p class="fr-h3 fr-mb-0">3</p>' in html and '<p class="fr-h3 fr-mb-0">41</p>' in html
    themes = html.split("Thèmes les plus travaillés", 1)[1]
    assert themes.index("Espace numérique de travail (ENT)") < themes.index("Pix et compétences numériques")
    assert "Usages pédagogiques de l" not in themes.split("Par établissement", 1)[0]
    assert "2 établissements sur 2 ont enregistré au moins une séance." in html
    row = html.split("Collège Alpha des Landes", 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td> <td>2,5</td> <td>37</td>" in row


def test_a_correspondent_sees_their_departement_and_the_filter_narrows(client_for, world, this_year, sessions):
    html = page(client_for("correspondant_40"), this_year)
    assert "Collège Alpha des Landes" in html and "Lycée Bravo de Pau" not in html
    assert '<p class="fr-h3 fr-mb-0">37</p>' in html
    html = page(client_for("dane"), this_year, f"?department={world.pyrenees.pk}")
    assert "Lycée Bravo de Pau" in html and "Collège Alpha des Landes" not in html
    assert '<p class="fr-h3 fr-mb-0">4</p>' in html


def test_the_exports_give_the_pages_figures(client_for, world, this_year, sessions):
    client = client_for("dane")
    response = client.get(reverse("steering:workshops_export", args=[this_year.pk, "schools", "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "UAI",
        "Établissement",
        "Département",
        "Séances",
        "Heures",
        "Membres présents",
        "Autres participants",
        "Participants",
    ]
    by_uai = {row[0]: row for row in rows[1:]}
    assert by_uai[world.school_a.uai][3:] == ["2", "2,5", "2", "35", "37"]
    assert by_uai[world.school_b.uai][3:] == ["1", "0,5", "0", "4", "4"]
    assert world.school_c.uai not in by_uai
    response = client.get(
        reverse("steering:workshops_export", args=[this_year.pk, "themes", "csv"]) + f"?department={world.landes.pk}"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["ent", "pix"] and rows[1][2] == "1"
    response = client.get(reverse("steering:workshops_export", args=[this_year.pk, "themes", "ods"]))
    table = odfdo.Document(io.BytesIO(response.content)).body.get_table(0)
    assert table.get_cell((1, 1)).value == "Espace numérique de travail (ENT)" and table.get_cell((2, 1)).value == 2
    assert client.get(reverse("steering:workshops_export", args=[this_year.pk, "secrets", "csv"])).status_code == 404


def _queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("suffix", ["", "schools.csv", "themes.ods"])
def test_query_count_does_not_grow_with_schools_and_sessions(client_for, world, this_year, sessions, suffix):
    client = client_for("dane")
    address = (
        reverse("steering:workshops", args=[this_year.pk])
        if not suffix
        else reverse("steering:workshops_export", args=[this_year.pk, *suffix.split(".")])
    )
    client.get(address)  # warm the per-process caches
    before = _queries(client, address)
    for n in range(12):
        school = SchoolFactory(name=f"Collège supplémentaire {n}", department=world.gironde)
        _session_in(world, school, n)
    assert School.objects.filter(department=world.gironde).count() == 12
    assert _queries(client, address) == before


def _session_in(world, school, n):
    rupn = MembershipFactory(user=UserFactory(), school=school, role=SchoolRole.RUPN).user
    record(world, school=school, by=rupn, theme=["tni", "rgpd"][n % 2], participant_ids=[rupn.pk])
