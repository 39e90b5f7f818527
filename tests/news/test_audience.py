"""The audience rule (`news.audience`): which schools and RUPN an item reaches, who reads it, who
writes it."""

import pytest

from pilotis.accounts.enums import SchoolRole
from pilotis.news import audience
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.news.conftest import draft, published

pytestmark = pytest.mark.django_db


def test_an_item_of_the_landes_reaches_its_open_schools_and_their_rupn_only(world):
    closed = SchoolFactory(department=world.landes, is_open=False)
    MembershipFactory(user=UserFactory(username="rupn_closed"), school=closed, role=SchoolRole.RUPN)
    item = draft(world)
    assert set(audience.schools_reached(item)) == {world.school_a}
    assert audience.recipients(item) == [world.rupn_a]  # not the chef, not the closed school's RUPN


def test_an_academy_item_for_lycees_reaches_the_lycee_of_pau_only(world):
    item = draft(world, by=world.dane, department_id=None, school_kind="lycee_gt")
    assert set(audience.schools_reached(item)) == {world.school_b}
    assert audience.recipients(item) == [world.rupn_b]


def test_a_rupn_of_two_schools_is_written_to_once(world):
    MembershipFactory(user=world.rupn_a, school=world.school_b, role=SchoolRole.RUPN)
    item = draft(world, by=world.dane, department_id=None)
    assert audience.recipients(item) == [world.rupn_a, world.rupn_b]


def test_an_inactive_rupn_is_not_written_to(world):
    world.rupn_a.is_active = False
    world.rupn_a.save()
    assert audience.recipients(draft(world)) == []


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("rupn_a", True),
        ("chef_a", True),
        ("adjoint_a", True),
        ("member_a", False),
        ("rupn_b", False),
        ("chef_c", False),
        ("correspondant_40", False),  # an author, not a reader: the authors' list is his
        ("nobody", False),
    ],
)
def test_a_published_item_is_read_by_the_rupn_and_direction_of_the_schools_it_reaches(world, persona, sees):
    item = published(world)
    assert (item in audience.items_for(world.persona(persona))) is sees


def test_drafts_and_withdrawn_items_are_not_read(world):
    from pilotis.news import services

    item = draft(world)
    assert item not in audience.items_for(world.rupn_a)
    services.publish(item, by=world.correspondant_40)
    services.withdraw(item, by=world.correspondant_40)
    assert item not in audience.items_for(world.rupn_a)
    assert item not in audience.items_reaching(world.school_a)


@pytest.mark.parametrize(
    ("persona", "department", "allowed"),
    [
        ("dane", None, True),
        ("dane", "landes", True),
        ("correspondant_40", "landes", True),
        ("correspondant_40", None, False),  # the whole académie is the DANE's
        ("correspondant_40", "pyrenees", False),
        ("correspondant_64", "landes", False),
        ("dane_rennes", "landes", False),
        ("admin", None, True),
        ("rupn_a", "landes", False),
    ],
)
def test_who_may_address_an_audience(world, persona, department, allowed):
    department_id = getattr(world, department).pk if department else None
    assert audience.may_address(world.persona(persona), world.bordeaux.pk, department_id) is allowed


def test_the_audiences_offered_to_a_correspondent_are_his_departements(world):
    codes = [code for code, *_rest in audience.audiences_for(world.correspondant_40)]
    assert codes == [f"d{world.landes.pk}"]
    dane_codes = [code for code, *_rest in audience.audiences_for(world.dane)]
    assert dane_codes[0] == f"a{world.bordeaux.pk}" and f"d{world.pyrenees.pk}" in dane_codes
    assert f"d{world.ille.pk}" not in dane_codes
