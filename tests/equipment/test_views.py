import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pilotis.core import outbox
from pilotis.core.models import Delivery, Mailing
from pilotis.equipment import services
from pilotis.equipment.enums import CollectivityKind, NeedState
from pilotis.equipment.models import Need
from tests.equipment.conftest import need_input, prioritised, record


def flat(text):
    return " ".join(text.split())


def url(name, world, *args):
    return reverse(f"equipment:{name}", args=[world.school_a.uai, *args])


def form_data(**overrides):
    values = {
        "category": "display",
        "object": "Vidéoprojecteur interactif",
        "quantity": "2",
        "place": "Salle 12",
        "why": "Pas d'affichage collectif.",
        "estimated_cost": "1 250,50",
        "funder": "department",
    }
    values.update(overrides)
    return values


def test_the_list_offers_recording_to_writers_and_ranking_to_the_direction(world, client_for):
    record(world, object="Bornes wifi")
    page = client_for("member_a").get(url("home", world)).content.decode()
    assert "Bornes wifi" in page and "Enregistrer un besoin" not in page
    page = client_for("rupn_a").get(url("home", world)).content.decode()
    assert "Enregistrer un besoin" in page and "Classer les besoins" not in page
    assert "Classer les besoins" in client_for("chef_a").get(url("home", world)).content.decode()


def test_recording_a_need_with_an_infrastructure_indicator(world, client_for, referential):
    client = client_for("rupn_a")
    page = client.get(url("create", world)).content.decode()
    assert 'value="INF.1.01"' in page and page.index('value="INF.1.01"') < page.index('value="PIL.1.01"')
    response = client.post(url("create", world), form_data(infrastructure=["INF.1.02"]))
    need = Need.objects.get()
    assert response.status_code == 302 and response.url == url("detail", world, need.pk)
    assert need.indicator_codes == ["INF.1.02"] and str(need.estimated_cost) == "1250.50"
    assert need.created_by == world.rupn_a
    page = flat(client.get(url("detail", world, need.pk)).content.decode())
    assert "INF.1.02" in page and "1 250,50 €" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": "-2"}, "Quantité : Assurez-vous que cette valeur est supérieure ou égale à 1."),
        ({"estimated_cost": "-5"}, "Le coût estimé ne peut pas être négatif."),
        ({"estimated_cost": "beaucoup"}, "Indiquez un montant en euros, par exemple 1250 ou 312,50."),
        ({"object": ""}, "Objet : Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_said_in_french_and_typed_values_come_back(world, client_for, overrides, message):
    response = client_for("rupn_a").post(url("create", world), form_data(place="Salle des profs", **overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page.replace("&#x27;", "'")
    assert 'value="Salle des profs"' in page
    assert not Need.objects.exists()


def test_a_stale_edit_is_refused_with_409_and_the_typed_values(world, client_for):
    need = record(world)
    client = client_for("chef_a")
    client.post(url("edit", world, need.pk), form_data(quantity="3", seen_revision="0"))
    response = client.post(url("edit", world, need.pk), form_data(quantity="7", seen_revision="0"))
    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in response.content.decode().replace("&#x27;", "'")
    assert 'value="7"' in response.content.decode()
    need.refresh_from_db()
    assert need.quantity == 3


def test_a_forbidden_transition_posted_is_refused_with_its_sentence(world, client_for):
    need = record(world)
    response = client_for("chef_a").post(
        url("change_state", world, need.pk), {"target": "delivered", "note": "Arrivé", "seen_revision": need.revision}
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    assert "Un besoin ne peut être livré qu'une fois accordé." in page
    assert "Arrivé" in page  # the note typed comes back
    need.refresh_from_db()
    assert need.state == NeedState.IDENTIFIED


def test_a_state_change_with_its_note_shows_in_the_history(world, client_for):
    need = services.change_state(prioritised(world), NeedState.TRANSMITTED, by=world.chef_a)
    client = client_for("rupn_a")
    response = client.post(
        url("change_state", world, need.pk),
        {"target": "granted", "note": "Vote du 3 mars", "seen_revision": need.revision},
    )
    assert response.status_code == 302
    page = client.get(url("detail", world, need.pk)).content.decode()
    assert "Accordé" in page and "Vote du 3 mars" in page


def test_the_direction_ranks_without_javascript(world, client_for):
    a, b = record(world, object="Tablettes"), record(world, object="Bornes wifi")
    client = client_for("chef_a")
    page = client.get(url("rank", world)).content.decode()
    seen = services.stamp(list(services.rankable(world.school_a)))
    assert f'value="{seen}"' in page
    response = client.post(url("rank", world), {"seen": seen, f"rank_{a.pk}": "2", f"rank_{b.pk}": "1"})
    assert response.status_code == 302
    assert list(Need.objects.filter(state="prioritised").order_by("rank").values_list("object", flat=True)) == [
        "Bornes wifi",
        "Tablettes",
    ]
    bad = client.post(url("rank", world), {"seen": "nope", f"rank_{a.pk}": "1", f"rank_{b.pk}": "2"})
    assert bad.status_code == 409


def test_the_request_pdf_and_ods_hold_the_ranked_needs(world, client_for):
    prioritised(world, object="Vidéoprojecteur interactif", estimated_cost=None)
    prioritised(world, object="Bornes wifi")
    client = client_for("member_a")
    response = client.get(url("request_pdf", world, "departement"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Demande d" in text and "Vidéoprojecteur interactif" in text and "Bornes wifi" in text
    assert "2\u00a0400\u00a0€" in text
    ods = client.get(url("request_ods", world, "departement"))
    assert ods.status_code == 200 and ods.content[:2] == b"PK"
    assert client.get(url("request_pdf", world, "mairie")).status_code == 404


def test_the_transmission_confirmation_says_when_no_address_is_configured(world, client_for):
    prioritised(world)
    services.set_collectivity(world.bordeaux, kind=CollectivityKind.DEPARTMENT, department=world.landes,
                              name="Département des Landes", by=world.dane)  # fmt: skip
    page = flat(client_for("chef_a").get(url("transmit", world, "departement")).content.decode())
    assert "n’a pas indiqué d’adresse".replace("’", "'") in page.replace("&#x27;", "'")
    assert "Transmettre la demande</button>" not in page
    assert "Télécharger la demande en PDF" in page


def test_the_request_is_sent_by_email_with_its_attachments_and_the_needs_become_transmitted(
    world, client_for, landes_collectivity, smtp_server, django_capture_on_commit_callbacks
):
    first = prioritised(world, object="Vidéoprojecteur interactif")
    prioritised(world, object="Bornes wifi", estimated_cost=None)
    client = client_for("chef_a")
    page = flat(client.get(url("transmit", world, "departement")).content.decode())
    assert "equipement@landes.example.org" in page and "2 besoins priorisés" in page and "2 400 €" in page
    seen = services.stamp(list(services.request_needs(world.school_a, "department")))
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url("transmit", world, "departement"), {"seen": seen})
    assert response.status_code == 302 and response.url == url("home", world)
    assert set(Need.objects.values_list("state", flat=True)) == {"transmitted"}
    assert first.events.latest("pk").note == "Transmis à Département des Landes (equipement@landes.example.org)."

    mailing = Mailing.objects.get()
    assert outbox.send(mailing.pk) == 1
    (message,) = smtp_server.messages
    assert message["To"] == "equipement@landes.example.org"
    assert message["Reply-To"] == "chef.alpha@example.org"
    assert message["Subject"] == f"Demande d'équipement — Collège Alpha des Landes ({world.school_a.uai})"
    assert message["Message-ID"] == Delivery.objects.get().message_id
    files = {part.get_filename(): part for part in message.iter_attachments()}
    pdf_name = next(name for name in files if name.endswith(".pdf"))
    ods_name = next(name for name in files if name.endswith(".ods"))
    pdf = PdfReader(io.BytesIO(files[pdf_name].get_content()))
    assert "Bornes wifi" in " ".join(p.extract_text() for p in pdf.pages)
    assert files[ods_name].get_content()[:2] == b"PK"
    assert files[ods_name].get_content_type() == "application/vnd.oasis.opendocument.spreadsheet"
    body = message.get_body(("plain",)).get_content()
    assert "1. Vidéoprojecteur interactif — 2 — 2 400 €" in body.replace("\u00a0", " ")

    # Sent twice? The list has changed: nothing more is sent.
    again = client.post(url("transmit", world, "departement"), {"seen": seen})
    assert again.status_code == 302 and Mailing.objects.count() == 1


def test_a_stale_transmission_sends_nothing(world, client_for, landes_collectivity):
    prioritised(world)
    seen = services.stamp(list(services.request_needs(world.school_a, "department")))
    prioritised(world, object="Ajouté entre-temps")
    response = client_for("chef_a").post(url("transmit", world, "departement"), {"seen": seen})
    assert response.status_code == 302
    assert not Mailing.objects.exists() and not Need.objects.filter(state="transmitted").exists()


def test_a_stale_state_change_is_refused_with_409(world, client_for):
    need = record(world)
    client = client_for("chef_a")
    stale = {"target": "prioritised", "note": "", "seen_revision": need.revision}
    services.record_need(world.school_a, need_input(quantity=5), by=world.rupn_a, need=need)
    response = client.post(url("change_state", world, need.pk), stale)
    assert response.status_code == 409
    need.refresh_from_db()
    assert need.state == NeedState.IDENTIFIED


def test_deletion_goes_through_a_confirmation(world, client_for):
    need = record(world)
    client = client_for("rupn_a")
    page = client.get(url("delete", world, need.pk)).content.decode()
    assert "cela ne peut pas être annulé" in page and Need.objects.exists()
    assert client.post(url("delete", world, need.pk)).status_code == 302
    assert not Need.objects.exists()
