"""The home page takes each role to its work."""

import pytest
from django.urls import reverse

from tests.factories import TerritoryRoleFactory
from tests.security.helpers import signed_in, text_of


@pytest.mark.parametrize(
    ("persona", "school"),
    [
        ("chef_a", "school_a"),
        ("adjoint_a", "school_a"),
        ("rupn_a", "school_a"),
        ("member_a", "school_a"),
        ("rupn_b", "school_b"),
        ("chef_c", "school_c"),
    ],
)
def test_school_roles_land_on_their_school(world, persona, school):
    client = signed_in(world.persona(persona))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    target = getattr(world, school)
    assert response["Location"] == reverse("territories:school_detail", args=[target.uai])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert target.name in text_of(page)


@pytest.mark.parametrize("persona", ["correspondant_40", "correspondant_64", "dane", "dane_rennes", "admin"])
def test_territorial_roles_land_on_the_list(world, persona):
    client = signed_in(world.persona(persona))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:list")
    assert client.get(response["Location"]).status_code == 200


def test_nobody_gets_the_welcome_page(world):
    response = signed_in(world.nobody).get(reverse("home"))
    assert response.status_code == 200
    body = text_of(response)
    assert "Bienvenue sur Pilotis" in body
    assert "aucun établissement ni territoire" in body


def test_school_role_wins_over_territorial_role(world):
    """A chef who is also a correspondent works first for their school."""
    TerritoryRoleFactory(user=world.chef_a, kind="correspondant", department=world.pyrenees)
    response = signed_in(world.chef_a).get(reverse("home"))
    assert response["Location"] == reverse("territories:school_detail", args=[world.school_a.uai])


def test_home_is_for_signed_in_users(db, client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_profile_lists_my_roles(world):
    body = text_of(signed_in(world.chef_a).get(reverse("accounts:profile")))
    assert world.school_a.name in body
    assert "Chef d'établissement" in body or "Chef d’établissement" in body
    body = text_of(signed_in(world.correspondant_40).get(reverse("accounts:profile")))
    assert "Landes" in body
