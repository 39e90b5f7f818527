import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from pilotis.accounts.enums import SchoolRole
from pilotis.workshops import services
from pilotis.workshops.models import Participant, Workshop
from tests.factories import MembershipFactory, UserFactory
from tests.workshops.conftest import YEAR, a_past_day, held, record, today


def flat(text):
    return " ".join(text.split())


def url(name, world, *args):
    return reverse(f"workshops:{name}", args=[world.school_a.uai, *args])


def form_data(**overrides):
    values = {
        "held_on": a_past_day().isoformat(),
        "starts_at": "16:30",
        "duration_minutes": "90",
        "place": "Salle 12",
        "title": "Découvrir Pix",
        "kind": "workshop",
        "theme": "pix",
        "theme_other": "",
        "tools": "Pix",
        "audiences": ["teachers", "pupils"],
        "participants": [],
        "participant_count": "",
        "materials": "",
    }
    values.update(overrides)
    return values


def test_the_list_shows_the_years_summary_and_offers_recording_to_writers_only(world, client_for):
    held(world, present=[world.chef_a.pk], counted=12, theme="cartoun", title="Le catalogue CARTOUN")
    page = flat(client_for("member_a").get(url("home", world)).content.decode())
    assert f"Bilan de l’année scolaire {YEAR}" in page
    assert "Le catalogue CARTOUN" in page and "participants (1 membre présent, 12 autres)" in page
    assert "1 présent sur 2 inscrits, 12 autres" in page
    assert "Enregistrer une séance" not in page
    assert "Enregistrer une séance" in client_for("rupn_a").get(url("home", world)).content.decode()


def test_the_list_shows_another_year_when_asked_and_ignores_a_bad_year(world, client_for):
    start = int(YEAR[:4]) - 1
    last = f"{start}-{start + 1}"
    record(world, held_on=datetime.date(start, 10, 1), title="Séance ancienne")
    client = client_for("chef_a")
    assert "Séance ancienne" not in client.get(url("home", world)).content.decode()
    assert "Séance ancienne" in client.get(url("home", world) + f"?annee={last}").content.decode()
    response = client.get(url("home", world) + "?annee=<script>")
    assert response.status_code == 200 and f"Bilan de l’année scolaire {YEAR}" in flat(response.content.decode())


def test_recording_through_the_form(world, client_for):
    client = client_for("rupn_a")
    response = client.post(url("create", world), form_data(participants=[world.chef_a.pk]))
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert response["Location"] == url("detail", world, workshop.pk)
    assert workshop.audiences == ["teachers", "pupils"] and workshop.participants.get().user == world.chef_a


def test_bad_input_re_shows_what_was_typed_with_french_sentences(world, client_for):
    response = client_for("rupn_a").post(
        url("create", world),
        form_data(title="Atelier robotique", theme="autre", audiences=[], participants=[world.rupn_b.pk]),
    )
    assert response.status_code == 400
    page = flat(response.content.decode())
    assert "La séance n’a pas été enregistrée" in page
    assert "Indiquez le thème en quelques mots" in page
    assert "Choisissez au moins un public" in page
    assert "n'est pas membre de l'établissement" in page or "n&#x27;est pas membre" in page
    assert 'value="Atelier robotique"' in page
    assert not Workshop.objects.exists()


def test_a_stale_edit_shows_the_typed_values_back_and_writes_nothing(world, client_for):
    workshop = record(world)
    services.record_workshop(
        world.school_a,
        services.WorkshopInput(**{**_input(workshop), "title": "Changé"}),
        by=world.chef_a,
        workshop=workshop,
        seen_revision=0,
    )
    response = client_for("rupn_a").post(
        url("edit", world, workshop.pk), form_data(title="Ma version", seen_revision=0)
    )
    assert response.status_code == 409
    page = flat(response.content.decode())
    assert "Quelqu’un a modifié cette séance" in page and 'value="Ma version"' in page
    workshop.refresh_from_db()
    assert workshop.title == "Changé"


def _input(workshop):
    return {
        "held_on": workshop.held_on,
        "title": workshop.title,
        "theme": workshop.theme,
        "duration_minutes": workshop.duration_minutes,
        "audiences": workshop.audiences,
    }


def test_the_session_page_and_its_attendance(world, client_for):
    workshop = record(world, participant_ids=[world.chef_a.pk, world.member_a.pk], place="CDI")
    client = client_for("rupn_a")
    page = flat(client.get(url("detail", world, workshop.pk)).content.decode())
    assert "Les présences ne sont pas encore relevées." in page and "Relever les présences" in page
    response = client.post(
        url("attendance", world, workshop.pk),
        {"seen_revision": workshop.revision, "present": [world.member_a.pk], "participant_count": "6"},
    )
    assert response.status_code == 302
    assert list(Participant.objects.filter(present=True).values_list("user_id", flat=True)) == [world.member_a.pk]
    page = flat(client_for("member_a").get(url("detail", world, workshop.pk)).content.decode())
    assert "1 membre présent" in page and "6 autres participants" in page
    assert "Relever les présences" not in page


def test_attendance_of_a_session_to_come_is_not_offered(world, client_for):
    workshop = record(world, held_on=today() + datetime.timedelta(days=4))
    response = client_for("rupn_a").get(url("attendance", world, workshop.pk))
    assert response.status_code == 302
    assert "Relever les présences" not in client_for("rupn_a").get(url("detail", world, workshop.pk)).content.decode()


def test_deleting_goes_through_a_confirm_page(world, client_for):
    workshop = record(world, participant_ids=[world.chef_a.pk])
    client = client_for("chef_a")
    page = flat(client.get(url("delete", world, workshop.pk)).content.decode())
    assert "Supprimer la séance du" in page and "cela ne peut pas être annulé" in page
    assert Workshop.objects.exists()
    assert client.post(url("delete", world, workshop.pk)).status_code == 302
    assert not Workshop.objects.exists()


def _pdf_pages(content):
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_attendance_sheet_lists_the_names_with_blank_lines(world, client_for):
    workshop = record(world, participant_ids=[world.chef_a.pk, world.member_a.pk], place="Salle 12")
    response = client_for("member_a").get(url("sheet_pdf", world, workshop.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages = _pdf_pages(response.content)
    text = " ".join(pages)
    assert "Feuille d'émargement" in text and "Collège Alpha des Landes" in text
    assert world.chef_a.last_name.upper() in text and world.member_a.last_name.upper() in text
    assert "Salle 12" in text and "Signature" in text and "Prise en main de l'ENT" in text
    assert "10" in text.split("Signature", 1)[1]  # two names, then eight free lines: 3 to 10


def test_a_long_sheet_repeats_its_header_on_the_next_pages(world, client_for):
    people = [
        MembershipFactory(user=UserFactory(last_name=f"Nom{n:02d}"), school=world.school_a, role=SchoolRole.MEMBRE).user
        for n in range(30)
    ]
    workshop = record(world, participant_ids=[p.pk for p in people])
    pages = _pdf_pages(client_for("rupn_a").get(url("sheet_pdf", world, workshop.pk)).content)
    assert len(pages) >= 2
    assert "NOM29" in " ".join(pages)
    for page in pages[1:]:
        assert "Nom et prénom" in page and "Signature" in page  # the table's header again
        assert "Feuille d'émargement — Collège Alpha des Landes" in page  # the running header


def test_a_sheet_for_people_counted_has_a_line_for_each_of_them(world, client_for):
    workshop = record(world, participant_ids=[], participant_count=30, audiences=["parents"])
    pages = _pdf_pages(client_for("rupn_a").get(url("sheet_pdf", world, workshop.pk)).content)
    numbers = " ".join(pages).split("Signature", 1)[1]
    assert len(pages) == 2 and " 29 30 " in f" {numbers} "


def _count(client, address):
    client.get(address)  # the first request of a session writes it and fills the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["home", "detail", "edit", "sheet_pdf"])
def test_pages_cost_the_same_with_more_sessions_and_participants(world, client_for, name):
    client = client_for("rupn_a")
    first = held(world, present=[world.chef_a.pk])
    address = url(name, world, first.pk) if name != "home" else url(name, world)
    few = _count(client, address)
    people = [
        MembershipFactory(user=UserFactory(), school=world.school_a, role=SchoolRole.MEMBRE).user for _n in range(8)
    ]
    for n in range(6):
        held(world, present=[people[n].pk], participants=[p.pk for p in people], theme=["ent", "pix", "ia"][n % 3])
    services.record_workshop(
        world.school_a,
        services.WorkshopInput(**{**_input(first), "participant_ids": [p.pk for p in people]}),
        by=world.rupn_a,
        workshop=first,
    )
    assert _count(client, address) == few
