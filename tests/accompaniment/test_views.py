"""The school's log, its entries shared with the school, and the sharing rule on every page that
shows them (the log, the shared page, the school's page, the person's data)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.accompaniment.models import AccompanimentEntry
from tests.accompaniment.helpers import action_of, days, entry, today

SECRET = "Tensions au sein de la direction"
SHARED = "Point sur le nouvel ENT"


@pytest.fixture
def two_entries(world):
    entry(
        world.school_a, world.correspondant_40, notes=SECRET, next_steps="Rappeler le principal", next_step_on=days(2)
    )
    entry(world.school_a, world.correspondant_40, notes=SHARED, happened_on=days(-20), shared_with_school=True)


def url(name, world, *args):
    return reverse(name, args=[world.school_a.uai, *args])


def test_the_log_shows_every_entry_to_the_territory_team(client_for, world, two_entries):
    page = client_for("dane").get(url("accompaniment:log", world)).content.decode()
    assert SECRET in page and SHARED in page
    assert "Interne à l’équipe territoriale" in page and "Partagé avec l’établissement" in page


@pytest.mark.parametrize("persona", ["chef_a", "adjoint_a", "rupn_a", "member_a"])
def test_the_log_does_not_exist_for_the_school(client_for, world, two_entries, persona):
    response = client_for(persona).get(url("accompaniment:log", world))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("persona", ["chef_a", "rupn_a"])
def test_the_direction_and_rupn_read_only_the_shared_entries(client_for, world, two_entries, persona):
    page = client_for(persona).get(url("accompaniment:shared", world)).content.decode()
    assert SHARED in page
    assert SECRET not in page and "Rappeler le principal" not in page
    assert "Modifier" not in page and "Supprimer" not in page  # read-only


def test_the_school_page_panel_follows_the_sharing_rule(client_for, world, two_entries):
    detail = url("territories:school_detail", world)
    chef = client_for("chef_a").get(detail).content.decode()
    assert "Accompagnement par l’équipe territoriale" in chef
    assert "Rappeler le principal" not in chef  # the next step of an entry not shared
    assert reverse("accompaniment:shared", args=[world.school_a.uai]) in chef
    assert f'href="{reverse("accompaniment:log", args=[world.school_a.uai])}"' not in chef
    member = client_for("member_a").get(detail).content.decode()
    assert "accompagnement" not in member.lower().replace("accompagnement par", "")
    assert reverse("accompaniment:shared", args=[world.school_a.uai]) not in member
    corr = client_for("correspondant_40").get(detail).content.decode()
    assert "Rappeler le principal" in corr and "Dans 2 jours" in corr


def test_nothing_shared_no_panel_for_the_school(client_for, world):
    entry(world.school_a, world.correspondant_40, notes=SECRET)
    page = client_for("rupn_a").get(url("territories:school_detail", world)).content.decode()
    assert "Accompagnement par l’équipe territoriale" not in page


def test_the_personal_data_of_the_school_never_hold_the_log(client_for, world, two_entries):
    chef = client_for("chef_a").get(reverse("accounts:my_data")).content.decode()
    assert SECRET not in chef and SHARED not in chef
    data = json.loads(client_for("correspondant_40").get(reverse("accounts:my_data")).content)
    rows = next(s for s in data["sections"] if s["titre"].startswith("Suivi de l'accompagnement"))["lignes"]
    assert {row["notes"] for row in rows} == {SECRET, SHARED}


def test_adding_an_entry(client_for, world, mini_referential):
    action = action_of(world.school_a, world.chef_a, mini_referential)
    response = client_for("correspondant_40").post(
        url("accompaniment:add", world),
        {"happened_on": today().isoformat(), "kind": "visio", "notes": "Visio ENT", "actions": [action.pk]},
    )
    assert response.status_code == 302
    created = AccompanimentEntry.objects.get()
    assert (created.kind, created.notes, created.shared_with_school) == ("visio", "Visio ENT", False)
    assert list(created.actions.all()) == [action]


def test_bad_input_is_shown_back_in_french(client_for, world, mini_referential):
    action_of(world.school_a, world.chef_a, mini_referential)  # the school's own: the list is offered
    foreign = action_of(world.school_b, world.rupn_b, mini_referential, title="Action du lycée")
    response = client_for("correspondant_40").post(
        url("accompaniment:add", world),
        {
            "happened_on": days(3).isoformat(),
            "kind": "visit",
            "notes": "Ce que j'ai tapé",
            "next_step_on": days(1).isoformat(),
            "actions": [foreign.pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ne peut pas être à venir" in page
    assert "Ce que j&#x27;ai tapé" in page  # the input stays
    assert "Sélectionnez un choix valide" in page  # another school's action is no choice here
    assert not AccompanimentEntry.objects.exists()


def test_two_editors_the_second_is_told_and_loses_nothing(client_for, world):
    created = entry(world.school_a, world.correspondant_40, notes="Première version")
    client = client_for("dane")
    edit = url("accompaniment:edit", world, created.pk)
    form = {"happened_on": today().isoformat(), "kind": "visit", "seen_revision": "0"}
    assert client.post(edit, {**form, "notes": "Version de la DANE"}).status_code == 302
    response = client_for("correspondant_40").post(edit, {**form, "notes": "Ma version à moi"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "a été modifiée" in page
    assert "Ma version à moi" in page and "Version de la DANE" in page  # their input, and what was saved
    assert 'name="seen_revision" value="1"' in page  # saving again is a knowing choice
    created.refresh_from_db()
    assert created.notes == "Version de la DANE"


def test_delete_asks_first(client_for, world):
    created = entry(world.school_a, world.correspondant_40, shared_with_school=True)
    client = client_for("correspondant_40")
    delete = url("accompaniment:delete", world, created.pk)
    page = client.get(delete).content.decode()
    assert "Supprimer cette entrée du suivi ?" in page and "ne la liront plus" in page
    assert AccompanimentEntry.objects.exists()
    assert client.post(delete, {"seen_revision": "0"}).status_code == 302
    assert not AccompanimentEntry.objects.exists()


def test_another_school_entry_is_a_404_under_this_school(client_for, world):
    other = entry(world.school_b, world.correspondant_64)
    response = client_for("dane").get(url("accompaniment:edit", world, other.pk))
    assert response.status_code == 404


def test_the_log_costs_the_same_with_more_entries(client_for, world, mini_referential):
    action = action_of(world.school_a, world.chef_a, mini_referential)
    client = client_for("correspondant_40")
    entry(world.school_a, world.correspondant_40, actions=[action], shared_with_school=True)
    client.get(url("accompaniment:log", world))  # warm the session
    counts = []
    for more in (0, 6):
        for _n in range(more):
            entry(world.school_a, world.correspondant_40, actions=[action], shared_with_school=True)
        for name in ("accompaniment:log", "accompaniment:shared", "territories:school_detail"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name, world)).status_code == 200
            counts.append((name, len(queries)))
    assert counts[:3] == counts[3:]
