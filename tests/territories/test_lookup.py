"""The school guard's read (territories.lookup) and its scope check (Scope.covers) give what
`School.objects.for_user(...).select_related(...)` gives."""

import pytest

from pilotis.core.scope import scope_of
from pilotis.territories.lookup import school_by_uai
from pilotis.territories.models import School
from tests.conftest import PERSONAS
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_it_reads_the_school_its_department_and_academy_as_the_orm_does(world):
    school = SchoolFactory(department=world.pyrenees, email="ce.0640001@ac-bordeaux.fr", is_open=False)
    read = school_by_uai(school.uai)
    orm = School.objects.select_related("department__academy").get(uai=school.uai)
    fields = [f.attname for f in School._meta.concrete_fields]
    assert [getattr(read, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert read.get_deferred_fields() == set()
    assert (read.department.code, read.department.academy.name) == ("064", "Bordeaux")
    assert school_by_uai("0000000A") is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_scope_covers_exactly_the_schools_for_user_lists(world, persona):
    user = world.persona(persona)
    SchoolFactory(department=world.gironde)  # a school of the académie outside any school role
    in_scope = set(School.objects.for_user(user).values_list("pk", flat=True))
    covered = {
        school.pk
        for school in School.objects.select_related("department")
        if scope_of(user).covers(school.pk, school.department_id, school.department.academy_id)
    }
    assert covered == in_scope
    assert bool(covered) == (persona != "nobody")  # not a comparison of two empty sets
