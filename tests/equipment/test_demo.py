import io

from pilotis.demo.equipment import load_equipment
from pilotis.equipment import services
from pilotis.equipment.enums import Funder, NeedState
from pilotis.equipment.models import Collectivity, Need
from tests.factories import MembershipFactory, SchoolFactory, UserFactory


def test_the_demo_holds_a_need_in_every_state_at_the_college_and_the_collectivities(world, referential):
    other = SchoolFactory(department=world.gironde)
    MembershipFactory(user=UserFactory(username="rupn_other"), school=other, role="rupn")
    users = {"rupn": world.rupn_a, "direction": world.chef_a, "rupn64": world.rupn_b, "dane": world.dane}
    out = io.StringIO()
    load_equipment(users, world.school_a, world.school_b, [other, world.school_c], out)
    college = Need.objects.filter(school=world.school_a)
    assert set(college.values_list("state", flat=True)) == set(NeedState.values)
    assert all(code.startswith("INF.") for codes in college.values_list("indicator_codes", flat=True) for code in codes)
    assert college.exclude(indicator_codes=[]).count() >= 5
    assert list(college.filter(state=NeedState.PRIORITISED).values_list("rank", flat=True)) != []
    assert Need.objects.filter(school=world.school_b, funder=Funder.REGION).count() == 2
    assert Need.objects.filter(school=other).count() == 1
    assert not Need.objects.filter(school=world.school_c).exists()  # no RUPN there
    # The Landes' Département has an address, the Région has none (the school downloads its request).
    assert services.collectivity_of(world.school_a, Funder.DEPARTMENT).email
    assert services.collectivity_of(world.school_b, Funder.REGION).email == ""
    assert Collectivity.objects.count() == 3
    assert "Besoins d'équipement : 7 au collège" in out.getvalue()
    load_equipment(users, world.school_a, world.school_b, [other], out)  # run twice: nothing more
    assert Need.objects.filter(school=world.school_a).count() == 7
