"""The DANE appoints the correspondents and DANE members of its académie."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from pilotis.accounts.models import TerritoryRole, User
from tests.factories import SchoolFactory
from tests.security.helpers import db_snapshot, signed_in, text_of

PAGE = "/compte/roles-territoriaux/"


@pytest.fixture
def add(django_capture_on_commit_callbacks):
    def _add(client, **data):
        data = {"email": "paul.girondin@example.org", "first_name": "Paul", "last_name": "Girondin"} | data
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:territory_role_add"), data)

    return _add


def test_page_lists_the_roles_of_the_academy_only(world):
    body = text_of(signed_in(world.dane).get(PAGE))
    for user in (world.correspondant_40, world.correspondant_64, world.dane):
        assert user.email in body
    assert world.dane_rennes.email not in body
    # The département choice holds the académie's départements only.
    assert "Gironde" in body
    assert "Ille-et-Vilaine" not in body


def test_dane_of_rennes_sees_only_rennes(world):
    body = text_of(signed_in(world.dane_rennes).get(PAGE))
    assert world.dane_rennes.email in body
    for user in (world.correspondant_40, world.correspondant_64, world.dane):
        assert user.email not in body
    assert "Landes" not in body


def test_dane_adds_a_correspondent_for_gironde(world, add):
    client = signed_in(world.dane)
    response = add(client, kind="correspondant", department=world.gironde.pk)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    user = User.objects.get(email="paul.girondin@example.org")
    role = TerritoryRole.objects.get(user=user)
    assert (role.kind, role.department, role.academy) == ("correspondant", world.gironde, None)
    assert role.created_by == world.dane
    assert not user.has_usable_password()

    page = text_of(client.get(PAGE))
    assert "Le rôle a été attribué à paul.girondin@example.org." in page
    assert "paul.girondin@example.org" in page
    assert "33 Gironde" in page

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["paul.girondin@example.org"]
    assert "Correspondant départemental" in mail.outbox[0].body
    assert re.search(r"/compte/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/", mail.outbox[0].body)

    # The new correspondent browses Gironde's schools.
    gironde_school = SchoolFactory(name="Lycée de Bordeaux-Centre", department=world.gironde)
    listing = text_of(signed_in(user).get(reverse("schools:list")))
    assert gironde_school.name in listing
    assert world.school_a.name not in listing


def test_dane_adds_a_dane_member(world, add):
    response = add(signed_in(world.dane), kind="dane")
    assert response.status_code == 302
    role = TerritoryRole.objects.get(user__email="paul.girondin@example.org")
    assert (role.kind, role.academy, role.department) == ("dane", world.bordeaux, None)


def test_correspondent_needs_a_department(world, add):
    client = signed_in(world.dane)
    before = db_snapshot()
    response = add(client, kind="correspondant")
    assert response.status_code == 400
    assert "Choisissez le département du correspondant." in text_of(response)
    assert db_snapshot() == before
    assert mail.outbox == []


def test_same_role_twice_is_refused(world, add):
    client = signed_in(world.dane)
    before = db_snapshot()
    response = add(client, email=world.correspondant_40.email, kind="correspondant", department=world.landes.pk)
    assert response.status_code == 400
    assert "Cette personne a déjà ce rôle sur ce territoire." in text_of(response)
    assert db_snapshot() == before
    assert mail.outbox == []


def test_existing_person_gets_a_second_territory(world, add):
    response = add(
        signed_in(world.dane), email=world.correspondant_40.email, kind="correspondant", department=world.gironde.pk
    )
    assert response.status_code == 302
    assert set(
        TerritoryRole.objects.filter(user=world.correspondant_40).values_list("department__code", flat=True)
    ) == {
        "040",
        "033",
    }


def test_dane_removes_a_correspondent(world):
    client = signed_in(world.dane)
    role = TerritoryRole.objects.get(user=world.correspondant_40)
    response = client.post(reverse("accounts:territory_role_remove", args=[role.pk]))
    assert response.status_code == 302
    assert not TerritoryRole.objects.filter(pk=role.pk).exists()
    page = text_of(client.get(PAGE))
    assert f"Le rôle de {world.correspondant_40} a été retiré." in page
    # The account stays; it simply has no role any more.
    assert User.objects.filter(pk=world.correspondant_40.pk, is_active=True).exists()


def test_dane_of_rennes_cannot_remove_a_bordeaux_correspondent(world):
    role = TerritoryRole.objects.get(user=world.correspondant_40)
    response = signed_in(world.dane_rennes).post(reverse("accounts:territory_role_remove", args=[role.pk]))
    assert response.status_code == 404
    assert TerritoryRole.objects.filter(pk=role.pk).exists()
    assert world.correspondant_40.email not in text_of(response)


def test_dane_of_rennes_cannot_appoint_in_bordeaux(world, add):
    client = signed_in(world.dane_rennes)
    before = db_snapshot()
    response = add(client, kind="correspondant", department=world.gironde.pk)
    assert response.status_code == 400
    assert db_snapshot() == before


def test_dane_cannot_remove_its_own_dane_role(world):
    client = signed_in(world.dane)
    role = TerritoryRole.objects.get(user=world.dane)
    response = client.post(reverse("accounts:territory_role_remove", args=[role.pk]), follow=True)
    assert "Vous ne pouvez pas retirer votre propre rôle DANE." in text_of(response)
    assert TerritoryRole.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize("persona", ["correspondant_40", "chef_a", "member_a", "nobody"])
def test_others_cannot_manage_territory_roles(world, persona, add):
    client = signed_in(world.persona(persona))
    assert client.get(PAGE).status_code == 404
    before = db_snapshot()
    assert add(client, kind="correspondant", department=world.gironde.pk).status_code == 404
    role = TerritoryRole.objects.get(user=world.correspondant_64)
    assert client.post(reverse("accounts:territory_role_remove", args=[role.pk])).status_code == 404
    assert db_snapshot() == before


def test_admin_chooses_the_academy_of_a_dane(world, add):
    client = signed_in(world.admin)
    response = add(client, kind="dane")
    assert response.status_code == 400
    assert "Choisissez l'académie." in text_of(response)
    response = add(client, kind="dane", academy=world.rennes.pk)
    assert response.status_code == 302
    assert TerritoryRole.objects.get(user__email="paul.girondin@example.org").academy == world.rennes
