"""What the equipment needs show elsewhere: the notes beside the Infrastructure indicators, the
school's page, the person's data."""

import pytest
from django.urls import reverse

from pilotis.equipment import services
from pilotis.equipment.enums import NeedState
from pilotis.equipment.notes import equipment_notes
from pilotis.equipment.personal_data import events, recorded
from pilotis.referential.models import Indicator
from tests.equipment.conftest import prioritised, record
from tests.factories import open_campaign


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def this_year(world, referential):
    return open_campaign(world, referential, "2026-2027")


def test_the_notes_count_the_linked_needs_and_those_sent(world, this_year, django_assert_max_num_queries):
    record(world, indicator_codes=["INF.1.02"])
    need = prioritised(world, indicator_codes=["INF.1.02", "PED.1.01"])
    services.change_state(need, NeedState.TRANSMITTED, by=world.chef_a)
    indicators = list(Indicator.objects.filter(version=this_year.referential).select_related("domain"))
    with django_assert_max_num_queries(2):
        notes = equipment_notes(None, world.school_a, this_year, indicators)
    assert notes["INF.1.02"][0].text == "2 besoins d'équipement liés (1 transmis)."
    assert notes["PED.1.01"][0].text == "1 besoin d'équipement lié (1 transmis)."
    assert notes["INF.1.01"][0].text == "Aucun besoin d'équipement n'est lié à cet indicateur."
    assert notes["INF.1.02"][0].links[0][1] == reverse("equipment:home", args=[world.school_a.uai])
    assert "PIL.1.01" not in notes


def test_a_met_infrastructure_indicator_gets_no_invitation(world, this_year):
    from pilotis.assessments import services as assessments

    indicator = Indicator.objects.get(version=this_year.referential, code="INF.1.01")
    assessments.save_answer(this_year, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    indicators = list(Indicator.objects.filter(version=this_year.referential).select_related("domain"))
    notes = equipment_notes(None, world.school_a, this_year, indicators)
    assert "INF.1.01" not in notes
    assert notes["INF.1.02"][0].text == "Aucun besoin d'équipement n'est lié à cet indicateur."


def test_the_notes_show_on_the_infrastructure_domain_page(world, this_year, client_for):
    record(world, indicator_codes=["INF.1.02"])
    url = reverse("assessments:domain", args=[world.school_a.uai, "2026-2027", "INF"])
    page = flat(client_for("member_a").get(url).content.decode())
    assert "1 besoin d'équipement lié (0 transmis)." in page.replace("&#x27;", "'")


def test_the_schools_page_shows_the_needs_block(world, client_for):
    prioritised(world)
    record(world)
    page = flat(
        client_for("member_a").get(reverse("territories:school_detail", args=[world.school_a.uai])).content.decode()
    )
    assert "2 besoins enregistrés : 1 priorisé(s), 0 transmis, 0 accordé(s)." in page
    assert reverse("equipment:home", args=[world.school_a.uai]) in page


def test_the_persons_data_lists_the_needs_recorded_and_the_steps_made(world):
    prioritised(world, object="Bornes wifi")
    assert [row["objet"] for row in recorded(world.rupn_a)] == ["Bornes wifi"]
    assert [row["état"] for row in events(world.chef_a)] == ["Priorisé"]
    assert recorded(world.chef_a) == []
