"""School names sort ignoring case and accents: the directory writes « COLLEGE COURS PERET » in
capitals without accents beside « Collège Aimé Césaire », and a byte order put every capital first."""

import pytest
from django.urls import reverse

from pilotis.missions.network import Network
from pilotis.steering.schools import sorted_by
from pilotis.territories.models import School
from tests.factories import SchoolFactory

NAMES = ["collège Zola", "COLLEGE COURS PERET", "Éclair (lycée)", "Collège Aimé Césaire", "Ecole Bleue"]
EXPECTED = ["Collège Aimé Césaire", "COLLEGE COURS PERET", "collège Zola", "Éclair (lycée)", "Ecole Bleue"]


@pytest.fixture
def named(world):
    return [SchoolFactory(name=name, department=world.gironde) for name in NAMES]


def test_the_sort_key_follows_every_save(named):
    school = named[0]
    school.name = "ÉCOLE Élémentaire"
    school.save()
    school.refresh_from_db()
    assert school.sort_name == "ecole elementaire"


def test_the_default_order_ignores_case_and_accents(named, world):
    assert list(School.objects.filter(department=world.gironde).values_list("name", flat=True)) == EXPECTED


def test_the_school_list_sorts_ignoring_case_and_accents(client_for, named):
    html = client_for("dane").get(reverse("schools:list"), {"department": named[0].department_id})
    body = html.content.decode()
    positions = [body.index(name) for name in EXPECTED]
    assert positions == sorted(positions)


def test_the_heat_map_sorts_ignoring_case_and_accents_both_ways(named, world):
    schools = School.objects.filter(department=world.gironde)
    assert [s.name for s in sorted_by(schools, "name", [])] == EXPECTED
    assert [s.name for s in sorted_by(schools, "-name", [])] == EXPECTED[::-1]


def test_the_network_sorts_ignoring_case_and_accents(named, world):
    network = Network.of(world.dane, {})
    names = [s.name for s in network.schools() if s.department_id == world.gironde.pk]
    assert names == EXPECTED
