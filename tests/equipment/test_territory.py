import csv
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.equipment import services, territory
from pilotis.equipment.enums import CollectivityKind, Funder, NeedState
from tests.equipment.conftest import prioritised, record
from tests.factories import MembershipFactory, SchoolFactory, UserFactory


def flat(text):
    return " ".join(text.split())


def landes_needs(world):
    record(world, category="computers", quantity=10, estimated_cost=Decimal("8000"))
    prioritised(world, category="network", quantity=4, estimated_cost=Decimal("1200.50"))
    record(world, school=world.school_b, by=world.rupn_b, funder=Funder.REGION, quantity=3, estimated_cost=None)
    record(world, school=world.school_c, by=world.chef_c, quantity=99)  # Rennes: never in Bordeaux's figures


def test_figures_count_by_category_and_funder_within_the_users_territory(world):
    landes_needs(world)
    landes = territory.figures(world.correspondant_40)
    assert landes.total.total.needs == 2 and landes.total.total.quantity == 14
    assert landes.total.total.cost == Decimal("9200.50")
    network = next(r for r in landes.by_category if r.code == "network")
    assert network.states[NeedState.PRIORITISED].needs == 1 and network.total.cost == Decimal("1200.50")
    dane = territory.figures(world.dane)
    assert dane.total.total.needs == 3
    region = next(r for r in dane.by_funder if r.code == Funder.REGION)
    assert (region.total.needs, region.total.quantity, region.total.cost) == (1, 3, Decimal("0"))
    assert territory.figures(world.dane, department=world.pyrenees).total.total.needs == 1
    assert territory.figures(world.dane, category="computers").total.total.needs == 1
    assert territory.figures(world.dane, state="prioritised").total.total.needs == 1


def test_the_page_and_its_export_agree(world, client_for):
    landes_needs(world)
    client = client_for("dane")
    page = flat(client.get(reverse("territory_needs:overview") + "?category=network").content.decode())
    assert "1 besoin" in page and "1 200,50 €" in page.replace("\u00a0", " ")
    response = client.get(reverse("territory_needs:export", args=["csv"]) + "?category=network")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Regroupement", "Catégorie ou financeur", "État", "Besoins", "Quantité", "Coût estimé (€)"]
    network = [r for r in rows if r[1] == "Réseau et wifi" and r[2] == "Tous états"]
    assert network == [["Catégorie", "Réseau et wifi", "Tous états", "1", "4", "1200,50"]]
    computers = [r for r in rows if r[1] == "Postes informatiques" and r[2] == "Tous états"]
    assert computers[0][3] == "0"  # filtered out, as on the page
    assert client.get(reverse("territory_needs:export", args=["ods"])).content[:2] == b"PK"


def test_a_bad_filter_is_ignored_and_said(world, client_for):
    landes_needs(world)
    response = client_for("dane").get(reverse("territory_needs:overview") + "?state=lost&department=999")
    page = flat(response.content.decode())
    assert response.status_code == 200 and "3 besoins" in page
    assert "Certains filtres n’étaient pas valides".replace("’", "'") in page.replace("&#x27;", "'").replace("’", "'")


def test_the_figures_take_a_fixed_number_of_queries(world):
    landes_needs(world)
    territory.figures(world.dane)  # the user's scope, read once and cached
    with CaptureQueriesContext(connection) as few:
        territory.figures(world.dane)
    for n in range(15):
        school = SchoolFactory(department=world.landes)
        rupn = MembershipFactory(user=UserFactory(username=f"rupn{n}"), school=school, role="rupn").user
        record(world, school=school, by=rupn)
    with CaptureQueriesContext(connection) as many:
        result = territory.figures(world.dane)
    assert result.total.total.needs == 18
    assert len(many) == len(few)


def test_the_collectivities_page_shows_addresses_and_lets_the_dane_only_change_them(world, client_for):
    services.set_collectivity(world.bordeaux, kind=CollectivityKind.DEPARTMENT, department=world.landes,
                              name="Département des Landes", email="equipement@landes.example.org", by=world.dane)  # fmt: skip
    page = client_for("correspondant_40").get(reverse("territory_needs:collectivities")).content.decode()
    assert "equipement@landes.example.org" in page and "Modifier" not in page
    client = client_for("dane")
    assert "Modifier" in client.get(reverse("territory_needs:collectivities")).content.decode()
    url = reverse("territory_needs:collectivity_region", args=[world.bordeaux.code])
    bad = client.post(url, {"name": "Région Nouvelle-Aquitaine", "email": "pas une adresse"})
    assert bad.status_code == 400 and 'value="Région Nouvelle-Aquitaine"' in bad.content.decode()
    assert client.post(url, {"name": "Région Nouvelle-Aquitaine", "email": ""}).status_code == 302
    assert services.collectivity_of(world.school_b, Funder.REGION).name == "Région Nouvelle-Aquitaine"
