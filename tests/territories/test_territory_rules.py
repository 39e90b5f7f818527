"""The rules of the territory, each written once (`core.scope.Scope`, the `for_user` querysets,
`territories.perms`), against a table written by hand: who follows which département and
académie, who leads one, which schools (and their self-assessments) each reads, who writes
school A's work. Each persona of the world is a row."""

import pytest
from django.contrib.auth import get_user_model

from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.roles import SchoolRole, TerritoryRoleKind
from pilotis.referential.models import ReferentialVersion
from pilotis.territories.models import Academy, Department, School
from pilotis.territories.perms import (
    can_read_school,
    can_write_school,
    follows_academy,
    follows_department,
    follows_territory,
    is_dane,
    school_abilities,
)
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, TerritoryRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

BORDEAUX = {"040", "064", "033"}
# persona -> (départements followed, académies of the territory, académies led)
TERRITORY = {
    "correspondant_40": ({"040"}, {"Bordeaux"}, set()),
    "correspondant_64": ({"064"}, {"Bordeaux"}, set()),
    "dane": (BORDEAUX, {"Bordeaux"}, {"Bordeaux"}),
    "dane_rennes": ({"035"}, {"Rennes"}, {"Rennes"}),
    "admin": (BORDEAUX | {"035"}, {"Bordeaux", "Rennes"}, {"Bordeaux", "Rennes"}),
}
NO_TERRITORY = (set(), set(), set())
WRITERS_OF_A = {"chef_a", "adjoint_a", "rupn_a"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_territory_a_user_follows(world, persona):
    user = world.persona(persona)
    departments, academies, led = TERRITORY.get(persona, NO_TERRITORY)
    assert {d.code for d in Department.objects.for_user(user)} == departments
    assert {d.code for d in Department.objects.all() if follows_department(user, d)} == departments
    assert {a.name for a in Academy.objects.for_user(user)} == academies
    assert {a.name for a in Academy.objects.led_by(user)} == led
    assert {a.name for a in Academy.objects.all() if follows_academy(user, a.pk)} == led
    assert follows_territory(user) == (persona in TERRITORY)
    assert is_dane(user) == bool(led)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_campaigns_a_user_follows(world, persona):
    referential = ReferentialVersion.objects.create(version="t", title="t", source_file="t", checksum="t")
    for academy in (world.bordeaux, world.rennes):
        Campaign.objects.create(
            academy=academy,
            school_year="2026-2027",
            referential=referential,
            opens_on="2026-09-01",
            closes_on="2027-06-30",
        )
    _departments, academies, led = TERRITORY.get(persona, NO_TERRITORY)
    user = world.persona(persona)
    assert {c.academy.name for c in Campaign.objects.for_user(user)} == academies
    assert {c.academy.name for c in Campaign.objects.managed_by(user)} == led


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_writes_a_schools_work(world, persona):
    assert can_write_school(world.persona(persona), world.school_a) == (persona in WRITERS_OF_A)


# persona -> the schools they read (by letter): their own, and those of the territory they follow
READS = {
    "chef_a": "a",
    "adjoint_a": "a",
    "rupn_a": "a",
    "member_a": "a",
    "rupn_b": "b",
    "chef_c": "c",
    "correspondant_40": "a",
    "correspondant_64": "b",
    "dane": "ab",
    "dane_rennes": "c",
    "admin": "abc",
    "nobody": "",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_schools_a_user_reads(world, persona):
    user = world.persona(persona)
    schools = {"a": world.school_a, "b": world.school_b, "c": world.school_c}
    referential = ReferentialVersion.objects.create(version="t", title="t", source_file="t", checksum="t")
    for academy in (world.bordeaux, world.rennes):
        campaign = Campaign.objects.create(
            academy=academy,
            school_year="2026-2027",
            referential=referential,
            opens_on="2026-09-01",
            closes_on="2027-06-30",
        )
        for school in schools.values():
            if school.department.academy_id == academy.pk:
                Assessment.objects.create(campaign=campaign, school=school)
    expected = {schools[letter].name for letter in READS[persona]}
    assert {s.name for s in School.objects.for_user(user)} == expected
    assert {s.name for s in schools.values() if can_read_school(user, s)} == expected
    assert {a.school.name for a in Assessment.objects.for_user(user)} == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_and_manages_a_schools_members(world, persona):
    """Whoever reads school A sees its members; only its direction manages them."""
    reads = "a" in READS[persona]
    assert school_abilities(world.persona(persona), world.school_a) == {
        "read": reads,
        "see_members": reads,
        "manage_members": persona in {"chef_a", "adjoint_a"},
    }


@pytest.mark.parametrize(
    ("roles", "reads"),
    [
        (("member_c", "correspondant_40"), "ac"),
        (("member_c", "dane"), "abc"),
        (("correspondant_40", "dane_rennes"), "ac"),
        (("member_c", "correspondant_40", "dane_rennes"), "ac"),
    ],
)
def test_one_user_with_several_roles_reads_the_schools_of_each(world, roles, reads):
    """Roles add up: a member of school C who is also a correspondent or a DANE elsewhere reads
    school C and the schools of that territory."""
    user = UserFactory(username="several")
    for role in roles:
        if role == "member_c":
            MembershipFactory(user=user, school=world.school_c, role=SchoolRole.MEMBRE)
        elif role == "correspondant_40":
            TerritoryRoleFactory(user=user, kind=TerritoryRoleKind.CORRESPONDANT, department=world.landes)
        else:
            academy = world.bordeaux if role == "dane" else world.rennes
            TerritoryRoleFactory(user=user, kind=TerritoryRoleKind.DANE, department=None, academy=academy)
    user = get_user_model().objects.get(pk=user.pk)
    schools = {"a": world.school_a, "b": world.school_b, "c": world.school_c}
    expected = {schools[letter].name for letter in reads}
    assert {s.name for s in School.objects.for_user(user)} == expected
    assert {s.name for s in schools.values() if can_read_school(user, s)} == expected
