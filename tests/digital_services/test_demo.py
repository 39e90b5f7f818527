import io

from pilotis.demo.digital_services import FORMER, load_digital_services
from pilotis.digital_services.models import DigitalService
from pilotis.digital_services.services import with_school_administrator


def test_the_demo_registers_six_services_at_the_college_one_without_administrator_and_some_at_the_lycee(world):
    users = {"rupn": world.rupn_a, "direction": world.chef_a, "rupn64": world.rupn_b}
    out = io.StringIO()
    load_digital_services(users, world.school_a, world.school_b, out)
    college = with_school_administrator(DigitalService.objects.filter(school=world.school_a))
    assert college.count() == 6
    assert set(college.values_list("kind", flat=True)) == {
        "ent",
        "pix",
        "website",
        "learning",
        "school_life",
        "storage",
    }
    assert list(college.get(kind="ent").administrators.all()) == [world.rupn_a]
    assert list(college.get(name="Pronote").administrators.all()) == [world.chef_a]
    storage = college.get(kind="storage")
    assert [u.username for u in storage.administrators.all()] == [FORMER] and not storage.has_school_administrator
    assert college.filter(has_school_administrator=True).count() == 3
    lycee = DigitalService.objects.filter(school=world.school_b)
    assert lycee.count() == 3 and lycee.filter(administrators=world.rupn_b).count() == 2
    load_digital_services(users, world.school_a, world.school_b, out)  # run twice: nothing more
    assert DigitalService.objects.count() == 9
