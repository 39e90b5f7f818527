"""The pages: a draft written, refused input shown back, sending through a confirmation naming the
channel, a failure's reason on the page, files joined and downloaded, the DANE's channels and
routing table (credentials said configured or not, never shown)."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotis.core.models import AuditEvent
from pilotis.support import routing, services
from pilotis.support.enums import RequestState
from pilotis.support.models import Channel, Route, SupportAttachment, SupportRequest
from tests.support.conftest import APP_TOKEN, PDF, USER_TOKEN, draft

pytestmark = pytest.mark.django_db

DATA = {
    "subject": "Le wifi de la salle B ne marche plus",
    "description": "Aucun poste ne se connecte.",
    "category": "network",
    "urgency": "high",
    "place": "Salle B",
}


def test_a_rupn_writes_a_draft_routed_to_its_département(client_for, world, channels):
    client = client_for("rupn_a")
    response = client.post(reverse("support:create", args=[world.school_a.uai]), DATA)
    request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert (request.state, request.channel, request.requester) == (RequestState.DRAFT, channels["landes"], world.rupn_a)
    page = client.get(reverse("support:detail", args=[world.school_a.uai, request.pk])).content.decode()
    assert "Département des Landes" in page and "Brouillon" in page


def test_refused_input_is_said_and_what_was_typed_is_kept(client_for, world, channels):
    response = client_for("rupn_a").post(
        reverse("support:create", args=[world.school_a.uai]), {**DATA, "subject": "", "place": "Salle B bis"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "La demande n’a pas été enregistrée" in page and "Salle B bis" in page
    assert not SupportRequest.objects.exists()


def test_send_asks_first_naming_the_channel_then_queues(client_for, world, channels):
    request = draft(world, category="academic_apps")
    client = client_for("rupn_a")
    url = reverse("support:send", args=[world.school_a.uai, request.pk])
    page = client.get(url).content.decode()
    assert "AMÉRANA" in page and "assistance@ac-bordeaux.example" in page
    assert SupportRequest.objects.get(pk=request.pk).queued_at is None  # GET writes nothing

    assert client.post(url).status_code == 302
    assert SupportRequest.objects.get(pk=request.pk).queued_at is not None


def test_a_request_with_no_route_cannot_be_sent_and_says_why(client_for, world, channels):
    Route.objects.filter(category="other").delete()
    request = draft(world, category="other")
    page = client_for("rupn_a").get(reverse("support:send", args=[world.school_a.uai, request.pk])).content.decode()
    assert "Aucun canal d'assistance n'est prévu pour cette catégorie" in html.unescape(page)


def test_a_failure_s_reason_is_on_the_page_without_any_token(client_for, world, channels, glpi):
    request = draft(world)
    glpi.mode = "error"
    services.ask_to_send(request, by=world.rupn_a)
    services.deliver(request.pk)
    page = client_for("chef_a").get(reverse("support:detail", args=[world.school_a.uai, request.pk])).content.decode()
    assert "À renvoyer" in page and "GLPI a répondu par une erreur 500" in page
    assert APP_TOKEN not in page and USER_TOKEN not in page


def test_a_link_request_is_marked_made_on_the_portal(client_for, world, channels):
    world.school_a.kind = "lycee_gt"
    world.school_a.save()
    request = draft(world, category="ent")
    assert request.channel == channels["lycee"]
    client = client_for("rupn_a")
    page = client.get(reverse("support:detail", args=[world.school_a.uai, request.pk])).content.decode()
    assert "https://assistance.lyceeconnecte.example/" in page
    client.post(reverse("support:portal_done", args=[world.school_a.uai, request.pk]), {"reference": "LC-42"})
    request.refresh_from_db()
    assert (request.state, request.reference) == (RequestState.SENT, "LC-42")


def test_a_file_is_joined_checked_and_downloaded_by_a_reader(client_for, world, channels):
    request = draft(world)
    client = client_for("rupn_a")
    url = reverse("support:attach", args=[world.school_a.uai, request.pk])
    refused = client.post(url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64)})
    assert refused.status_code == 400 and "programme Windows" in refused.content.decode()
    assert client.post(url, {"file": SimpleUploadedFile("capture.pdf", PDF)}).status_code == 302
    joined = SupportAttachment.objects.get()
    response = client_for("member_a").get(
        reverse("support:attachment", args=[world.school_a.uai, request.pk, joined.pk])
    )
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_the_dane_page_says_credentials_are_configured_never_what_they_are(client_for, world, channels, glpi):
    page = client_for("correspondant_40").get(reverse("support_routing:academy", args=[world.bordeaux.pk]))
    text = page.content.decode()
    assert "identifiants configurés" in text and "Département des Landes" in text
    assert APP_TOKEN not in text and USER_TOKEN not in text
    assert "Ajouter un canal" not in text  # a correspondent reads


def test_unset_credentials_are_said_not_configured(client_for, world, channels, settings):
    settings.SUPPORT_GLPI = {}
    text = client_for("dane").get(reverse("support_routing:academy", args=[world.bordeaux.pk])).content.decode()
    assert "identifiants non configurés" in text


def test_a_route_to_another_académie_s_channel_is_refused_with_a_sentence(world, channels):
    with pytest.raises(ValidationError) as refused:
        services.set_route(world.bordeaux, category="software", channel=channels["rennes"], by=world.dane)
    assert "appartient à une autre académie (Rennes)" in refused.value.messages[0]
    assert not Route.objects.filter(channel=channels["rennes"]).exists()


def test_the_dane_sets_a_route_and_the_proposal_follows(client_for, world, channels):
    client = client_for("dane")
    response = client.post(
        reverse("support_routing:route_add", args=[world.bordeaux.pk]),
        {"category": "software", "department": world.landes.pk, "school_kind": "", "channel": channels["landes"].pk},
    )
    assert response.status_code == 302
    assert routing.propose(world.school_a, "software") == channels["landes"]
    assert routing.propose(world.school_b, "software") == channels["amerana"]
    assert AuditEvent.objects.filter(action="support_routing_changed").exists()


def test_the_routing_proposal_of_the_demo_table(world, channels):
    assert routing.propose(world.school_a, "network") == channels["landes"]
    assert routing.propose(world.school_b, "ent") == channels["lycee"]  # a lycée's ENT: Lycée connecté
    assert routing.propose(world.school_b, "network") == channels["amerana"]  # not a collège
    assert routing.propose(world.school_a, "academic_apps") == channels["amerana"]
    assert routing.propose(world.school_c, "network") is None  # Rennes has no table


def test_a_sent_request_is_closed_by_the_school_after_a_confirmation(client_for, world, channels, smtp_server):
    request = draft(world, category="academic_apps")
    services.ask_to_send(request, by=world.rupn_a)
    services.deliver(request.pk)
    client = client_for("chef_a")
    url = reverse("support:close", args=[world.school_a.uai, request.pk])
    assert "Pilotis ne suivra plus son état" in html.unescape(client.get(url).content.decode())
    assert SupportRequest.objects.get(pk=request.pk).state == RequestState.SENT
    assert client.post(url).status_code == 302
    assert SupportRequest.objects.get(pk=request.pk).state == RequestState.CLOSED
    assert services.follow(request.pk) == RequestState.CLOSED  # no longer followed


def test_the_person_s_data_lists_the_requests_they_wrote(world, channels):
    from pilotis.core.personal_data import gather

    draft(world, category="academic_apps")
    sections = {s["titre"]: s["lignes"] for s in gather(world.rupn_a)["sections"]}
    [row] = sections["Demandes d'assistance écrites"]
    assert row["objet"] == "Le wifi de la salle B ne marche plus" and row["assistance"] == "AMÉRANA"


def test_the_school_s_page_shows_its_requests_block(client_for, world, channels, glpi):
    request = draft(world)
    glpi.mode = "error"
    services.ask_to_send(request, by=world.rupn_a)
    services.deliver(request.pk)
    page = client_for("member_a").get(reverse("territories:school_detail", args=[world.school_a.uai])).content.decode()
    assert "1 demande à renvoyer" in html.unescape(page)
    assert reverse("support:home", args=[world.school_a.uai]) in page


def test_a_request_to_send_again_may_be_sent_now_without_waiting(world, channels, glpi):
    request = draft(world)
    glpi.mode = "error"
    services.ask_to_send(request, by=world.rupn_a)
    services.deliver(request.pk)
    glpi.mode = "ok"
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.next_try_at is not None and services.sending_problem(request) == ""
    services.ask_to_send(request, by=world.rupn_a)
    assert services.deliver(request.pk) == RequestState.SENT
    assert services.deliver(request.pk) == RequestState.SENT  # the old try, later: nothing more
    assert len(glpi.tickets) == 1


def test_the_dane_adds_a_glpi_channel_by_the_name_of_its_credentials(client_for, world, channels):
    client = client_for("dane")
    url = reverse("support_routing:channel_create", args=[world.bordeaux.pk])
    form = client.get(url).content.decode()
    assert "Nom des identifiants GLPI" in form
    assert 'name="app_token"' not in form and 'name="user_token"' not in form  # tokens are never typed here
    response = client.post(
        url,
        {
            "name": "Département de la Gironde",
            "way": "glpi",
            "glpi_url": "https://glpi.gironde.example/apirest.php",
            "glpi_credentials": "gironde",
            "glpi_category_network": "7",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="Département de la Gironde")
    assert (channel.glpi_credentials, channel.glpi_categories) == ("gironde", {"network": 7})


def test_a_correspondent_cannot_change_the_routing(client_for, world, channels):
    response = client_for("correspondant_40").post(
        reverse("support_routing:route_add", args=[world.bordeaux.pk]),
        {"category": "software", "department": "", "school_kind": "", "channel": channels["landes"].pk},
    )
    assert response.status_code == 404
    assert not Route.objects.filter(category="software", channel=channels["landes"]).exists()
