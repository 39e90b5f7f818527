"""What the workshops show elsewhere: the notes beside the self-assessment's indicators, the mission
letter's end-of-year review (page and PDF), the person's data."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pilotis.core.school_years import current_school_year
from pilotis.missions import services as missions
from pilotis.missions.services import school_year_bounds
from pilotis.referential.models import Indicator
from pilotis.workshops.notes import workshop_notes
from pilotis.workshops.personal_data import attended, recorded
from tests.factories import open_campaign
from tests.workshops.conftest import YEAR, held, record


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def this_year(world, referential):
    """The bundled referential's campaign of the current school year (the sessions' year)."""
    return open_campaign(world, referential, YEAR)


def test_the_notes_beside_the_formation_indicators_and_pil_1_06(world, this_year, django_assert_max_num_queries):
    indicators = list(Indicator.objects.filter(version=this_year.referential).select_related("domain"))
    assert workshop_notes(None, world.school_a, this_year, [i for i in indicators if i.code.startswith("PED")]) == {}
    notes = workshop_notes(None, world.school_a, this_year, indicators)
    training = [i.code for i in indicators if i.domain.code == "FOR"]
    assert set(notes) == {*training, "PIL.1.06"} and len(training) > 5
    assert notes["FOR.1.01"][0].text == f"Aucun atelier ni formation enregistré en {YEAR}."
    assert "Aucune séance de présentation du catalogue" in notes["PIL.1.06"][0].text

    held(world, present=[world.chef_a.pk], counted=10, theme="cartoun", title="CARTOUN en salle des profs")
    held(world, present=[], counted=25, theme="pix", duration_minutes=60)
    with django_assert_max_num_queries(5):  # whatever the number of indicators
        notes = workshop_notes(None, world.school_a, this_year, indicators)
    (note,) = notes["FOR.2.01"]
    assert note.text.startswith(f"Ateliers et formations en {YEAR} : 2 séances, 2,5 heures, 36 participants.")
    assert "Pix et compétences numériques des élèves (CRCN) (1)" in note.text
    assert note.links[0][1].endswith(f"/ateliers/?annee={YEAR}")
    (catalogue,) = notes["PIL.1.06"]
    assert catalogue.text == f"1 séance a présenté le catalogue des fiches d'usage en {YEAR}."
    assert catalogue.links[0][0].startswith("CARTOUN en salle des profs, le ")


def test_the_notes_show_on_the_domain_page(world, this_year, client_for):
    held(world, present=[world.chef_a.pk], theme="cartoun")
    client = client_for("member_a")
    page = flat(client.get(reverse("assessments:domain", args=[world.school_a.uai, YEAR, "FOR"])).content.decode())
    assert f"Ateliers et formations en {YEAR} : 1 séance" in page
    page = flat(client.get(reverse("assessments:domain", args=[world.school_a.uai, YEAR, "PIL"])).content.decode())
    assert "1 séance a présenté le catalogue des fiches d" in page


@pytest.fixture
def letter(world):
    year = current_school_year()
    first, last = school_year_bounds(year)
    designation = missions.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=year,
        starts_on=first,
        ends_on=last,
        imp_amount=Decimal("1250.00"),
        by=world.chef_a,
    )
    return missions.start_letter(designation, by=world.chef_a)


def test_the_letters_review_lists_the_workshops_of_its_period(world, client_for, letter):
    held(world, present=[world.chef_a.pk], counted=8, title="Atelier tablettes", theme="tablettes")
    record(world, school=world.school_b, by=world.rupn_b, title="Ailleurs")
    address = reverse("missions:letter", args=[world.school_a.uai, letter.pk])
    page = flat(client_for("chef_a").get(address).content.decode())
    assert "Ateliers et formations menés" in page
    assert "1 séance, 1,5 heure, 9 participants" in page
    assert "Atelier tablettes" in page and "Ailleurs" not in page


def test_the_letters_pdf_carries_the_workshops_in_its_review(world, client_for, letter):
    held(world, present=[world.chef_a.pk], title="Atelier tablettes", theme="tablettes")
    response = client_for("chef_a").get(reverse("missions:letter_pdf", args=[world.school_a.uai, letter.pk]))
    assert response.status_code == 200
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert "Ateliers et formations menés" in text and "Atelier tablettes" in text


def test_the_persons_data_lists_the_sessions_attended_and_recorded(world):
    held(world, present=[world.member_a.pk], title="Atelier ENT")
    (row,) = attended(world.member_a)
    assert row["intitulé"] == "Atelier ENT" and row["présent"] == "oui"
    assert [r["intitulé"] for r in recorded(world.rupn_a)] == ["Atelier ENT"]
    assert recorded(world.member_a) == []


def test_the_schools_page_shows_the_years_workshops_and_the_next_one(world, client_for):
    import datetime

    from django.utils import timezone

    held(world, present=[world.chef_a.pk], counted=5)
    record(world, held_on=timezone.localdate() + datetime.timedelta(days=3), title="Atelier à venir")
    page = flat(
        client_for("member_a").get(reverse("territories:school_detail", args=[world.school_a.uai])).content.decode()
    )
    assert f"Année scolaire {YEAR} : 2 séances, 3 heures, 6 participants" in page
    assert "Prochaine séance : " in page and "Atelier à venir" in page
    assert "Voir les ateliers et formations" in page
