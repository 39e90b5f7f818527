import io

from pilotis.demo.workshops import load_workshops
from pilotis.workshops import summary
from pilotis.workshops.models import Participant, Workshop
from tests.workshops.conftest import YEAR


def test_the_demo_records_four_held_sessions_at_the_college_and_some_elsewhere(world):
    users = {"rupn": world.rupn_a, "direction": world.chef_a, "enseignant": world.member_a}
    out = io.StringIO()
    load_workshops(users, world.school_a, [world.school_b, world.school_c], out)
    college = Workshop.objects.filter(school=world.school_a, school_year=YEAR)
    assert college.count() == 4
    assert all(w.attendance_marked_at for w in college)
    assert college.filter(presents_catalogue=True).count() == 1
    assert Participant.objects.filter(workshop__school=world.school_a, present=True).count() >= 2
    assert any("pupils" in w.audiences and w.participant_count for w in college)
    assert any("parents" in w.audiences and w.participant_count for w in college)
    # The other schools' RUPN ran some: school B has one, school C (no RUPN) none.
    assert Workshop.objects.filter(school=world.school_b).exists()
    assert not Workshop.objects.filter(school=world.school_c).exists()
    assert summary.summarise(college).participants > 40
    load_workshops(users, world.school_a, [world.school_b], out)  # run twice: nothing more
    assert Workshop.objects.filter(school=world.school_a).count() == 4
