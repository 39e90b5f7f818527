"""A user with several schools chooses the one they work for; the home page follows."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.security.helpers import signed_in, text_of

MY_SCHOOLS = "/compte/mes-etablissements/"


@pytest.fixture
def two_schools(world):
    user = UserFactory(username="deux_ecoles", first_name="Dominique", last_name="Double")
    MembershipFactory(user=user, school=world.school_a, role="rupn")
    MembershipFactory(user=user, school=world.school_b, role="membre")
    return user


def detail(school):
    return reverse("territories:school_detail", args=[school.uai])


def test_page_lists_my_schools_only(world, two_schools):
    body = text_of(signed_in(two_schools).get(MY_SCHOOLS))
    assert world.school_a.name in body and world.school_b.name in body
    assert world.school_c.name not in body
    assert "Établissement actuel" in body


def test_first_school_by_name_is_current_by_default(world, two_schools):
    client = signed_in(two_schools)
    assert client.get(reverse("home"))["Location"] == detail(world.school_a)


def test_switch_changes_the_current_school(world, two_schools):
    client = signed_in(two_schools)
    response = client.post(MY_SCHOOLS, {"uai": world.school_b.uai})
    assert response.status_code == 302
    assert response["Location"] == detail(world.school_b)
    page = text_of(client.get(response["Location"]))
    assert f"Vous travaillez maintenant pour {world.school_b.name}." in page
    # The home page and the menu follow the choice, request after request.
    assert client.get(reverse("home"))["Location"] == detail(world.school_b)
    profile = text_of(client.get(reverse("accounts:profile")))
    assert f'href="{reverse("members:list", args=[world.school_b.uai])}"' in profile
    # And back.
    client.post(MY_SCHOOLS, {"uai": world.school_a.uai})
    assert client.get(reverse("home"))["Location"] == detail(world.school_a)


@pytest.mark.parametrize("which", ["school_c", "unknown", "empty", "lowercase_of_mine"])
def test_switch_to_a_school_not_mine_is_404(world, two_schools, which):
    client = signed_in(two_schools)
    uai = {
        "school_c": world.school_c.uai,
        "unknown": "0000000A",
        "empty": "",
        "lowercase_of_mine": world.school_b.uai.lower(),
    }[which]
    response = client.post(MY_SCHOOLS, {"uai": uai})
    assert response.status_code == 404
    assert world.school_c.name not in text_of(response)
    assert client.get(reverse("home"))["Location"] == detail(world.school_a)


def test_territorial_user_cannot_switch_to_a_school_of_their_territory(world):
    """Switching is for one's own schools: a DANE reads school A but is not one of its members."""
    client = signed_in(world.dane)
    assert client.post(MY_SCHOOLS, {"uai": world.school_a.uai}).status_code == 404
    assert client.get(reverse("home"))["Location"] == reverse("schools:list")


def test_losing_the_chosen_school_falls_back_to_the_other(world, two_schools):
    client = signed_in(two_schools)
    client.post(MY_SCHOOLS, {"uai": world.school_b.uai})
    two_schools.school_memberships.filter(school=world.school_b).delete()
    assert client.get(reverse("home"))["Location"] == detail(world.school_a)
    assert client.get(detail(world.school_b)).status_code == 404


def test_header_offers_the_switch_only_with_several_schools(world, two_schools):
    assert f'href="{MY_SCHOOLS}"' in text_of(signed_in(two_schools).get(detail(world.school_a)))
    assert f'href="{MY_SCHOOLS}"' not in text_of(signed_in(world.chef_a).get(detail(world.school_a)))
