"""Lists, searches and exports hold the scope exactly (SECURITY.md): lists and search return exactly the role's scope — no out-of-scope count, id or name."""

import re

import pytest
from django.urls import reverse

from pilotis.territories.models import School
from tests.factories import MembershipFactory, SchoolFactory
from tests.security.helpers import signed_in, text_of

LIST = "schools:list"


def shown_count(response) -> int:
    match = re.search(r"(\d+)\s+établissements?\b", text_of(response))
    assert match, "the school list states how many schools it holds"
    return int(match.group(1))


def row_uais(response) -> set[str]:
    return set(re.findall(r'href="/etablissements/([0-9]{7}[A-Z])/"', response.content.decode()))


def assert_absent(response, *schools, echoed=None):
    body = text_of(response)
    if echoed is not None:
        # The search box shows back what the user typed: that is not a leak.
        body = body.replace(f'value="{echoed}"', "")
    for school in schools:
        assert school.name not in body
        assert school.uai not in body
        assert f"/{school.pk}/" not in body


def test_correspondent_lists_only_their_department(world):
    response = signed_in(world.correspondant_40).get(reverse(LIST))
    assert response.status_code == 200
    assert world.school_a.name in text_of(response)
    assert row_uais(response) == {world.school_a.uai}
    assert shown_count(response) == 1
    assert_absent(response, world.school_b, world.school_c)
    # Nor any other territory in the department filter.
    body = text_of(response)
    assert "Ille-et-Vilaine" not in body
    assert "Pyrénées-Atlantiques" not in body


def test_dane_lists_their_academy_only(world):
    response = signed_in(world.dane).get(reverse(LIST))
    assert response.status_code == 200
    assert row_uais(response) == {world.school_a.uai, world.school_b.uai}
    assert shown_count(response) == 2
    assert_absent(response, world.school_c)
    assert "Ille-et-Vilaine" not in text_of(response)


def test_dane_of_another_academy_sees_none_of_bordeaux(world):
    response = signed_in(world.dane_rennes).get(reverse(LIST))
    assert row_uais(response) == {world.school_c.uai}
    assert shown_count(response) == 1
    assert_absent(response, world.school_a, world.school_b)


@pytest.mark.parametrize("query", ["Charlie", "Collège Charlie de Rennes", "Rennes", "uai"])
def test_search_never_reaches_out_of_scope(world, query):
    query = world.school_c.uai if query == "uai" else query
    response = signed_in(world.correspondant_40).get(reverse(LIST), {"q": query})
    assert response.status_code == 200
    assert row_uais(response) == set()
    assert shown_count(response) == 0
    assert_absent(response, world.school_c, echoed=query)


def test_search_finds_in_scope(world):
    response = signed_in(world.correspondant_40).get(reverse(LIST), {"q": "alpha"})
    assert row_uais(response) == {world.school_a.uai}
    response = signed_in(world.correspondant_40).get(reverse(LIST), {"q": world.school_a.uai.lower()})
    assert row_uais(response) == {world.school_a.uai}


@pytest.mark.parametrize("department", ["ille", "pyrenees"])
def test_filter_on_foreign_department_reveals_nothing(world, department):
    pk = getattr(world, department).pk
    response = signed_in(world.correspondant_40).get(reverse(LIST), {"department": pk})
    # The form refuses a département out of scope: an empty list, never its schools.
    assert response.status_code == 200
    assert row_uais(response) == set()
    assert shown_count(response) == 0
    assert_absent(response, world.school_b, world.school_c)


def test_filters_within_scope(world):
    response = signed_in(world.dane).get(reverse(LIST), {"department": world.pyrenees.pk})
    assert row_uais(response) == {world.school_b.uai}
    response = signed_in(world.dane).get(reverse(LIST), {"kind": "lycee_gt"})
    assert row_uais(response) == {world.school_b.uai}
    response = signed_in(world.dane).get(reverse(LIST), {"sector": "public", "kind": "college"})
    assert row_uais(response) == {world.school_a.uai}


def test_count_and_pages_hold_only_the_scope(world):
    SchoolFactory.create_batch(30, department=world.landes)
    SchoolFactory.create_batch(7, department=world.ille)
    client = signed_in(world.correspondant_40)
    first = client.get(reverse(LIST))
    second = client.get(reverse(LIST), {"page": 2})
    assert shown_count(first) == 31
    assert len(row_uais(first)) == 25
    assert len(row_uais(second)) == 6
    seen = row_uais(first) | row_uais(second)
    assert len(seen) == 31
    assert seen == set(School.objects.filter(department=world.landes).values_list("uai", flat=True))
    # A page past the end shows the last page, not someone else's schools.
    third = client.get(reverse(LIST), {"page": 3})
    assert row_uais(third) <= seen


def name_in(user, body) -> bool:
    return re.search(rf"\b{re.escape(user.last_name)}\b", body) is not None


def test_members_page_lists_only_its_school(world):
    other = MembershipFactory(school=world.school_b).user
    response = signed_in(world.correspondant_40).get(reverse("members:list", args=[world.school_a.uai]))
    assert response.status_code == 200
    body = text_of(response)
    for user in (world.chef_a, world.adjoint_a, world.rupn_a, world.member_a):
        assert user.email in body
        assert name_in(user, body)
    # The viewer's own name is in the header; nobody else's.
    for user in (world.rupn_b, other, world.chef_c, world.correspondant_64, world.dane, world.admin, world.nobody):
        assert user.email not in body
        assert not name_in(user, body)
    assert world.school_b.name not in body
    assert world.school_c.name not in body


def test_school_page_of_a_member_shows_only_its_team(world):
    response = signed_in(world.member_a).get(reverse("territories:school_detail", args=[world.school_a.uai]))
    body = text_of(response)
    assert response.status_code == 200
    assert name_in(world.chef_a, body)
    assert not name_in(world.rupn_b, body)
    assert not name_in(world.chef_c, body)
