import io
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.accounts.models import SchoolMembership
from pilotis.digital_services.models import DigitalService
from tests.digital_services.conftest import record
from tests.factories import MembershipFactory, UserFactory


def flat(text):
    return " ".join(text.split())


def url(name, world, *args):
    return reverse(f"digital_services:{name}", args=[world.school_a.uai, *args])


def form_data(**overrides):
    values = {
        "kind": "learning",
        "name": "Éléa",
        "address": "https://elea.example.fr",
        "administrators": [],
        "outside_administrator": "",
        "since": "2020",
        "support_channel": "DANE",
        "note": "",
    }
    values.update(overrides)
    return values


def test_the_register_lists_services_with_their_administrators_and_offers_writing_to_writers_only(world, client_for):
    record(world, name="Pronote", kind="school_life", administrator_ids=[world.chef_a.pk])
    record(world, name="Cloud", kind="storage", administrator_ids=[world.member_a.pk])
    SchoolMembership.objects.filter(user=world.member_a).delete()
    page = flat(client_for("adjoint_a").get(url("home", world)).content.decode())
    assert "<caption>" in page and "Pronote" in page and str(world.chef_a) in page
    assert "a quitté l’établissement" in page
    assert "1 service sans administrateur à l’établissement" in page
    assert "Ajouter un service" in page
    # A member who is not a writer (member_a has just left) reads, and is offered no button.
    teacher = UserFactory(username="prof")
    MembershipFactory(user=teacher, school=world.school_a, role="membre")
    client = client_for("anonymous")
    client.force_login(teacher)
    page = client.get(url("home", world)).content.decode()
    assert "Pronote" in page and "Ajouter un service" not in page


def test_the_filter_by_kind_shows_that_kind_only_and_ignores_an_unknown_one(world, client_for):
    record(world, name="Pronote", kind="school_life")
    record(world, name="Pix", kind="pix")
    client = client_for("rupn_a")
    page = client.get(url("home", world), {"nature": "pix"}).content.decode()
    assert "Pix" in page and "Pronote" not in page
    page = client.get(url("home", world), {"nature": "nope"}).content.decode()
    assert "Pix" in page and "Pronote" in page


def test_the_list_costs_the_same_queries_for_one_service_or_many(world, client_for):
    client = client_for("rupn_a")
    record(world, name="S0", administrator_ids=[world.rupn_a.pk])
    client.get(url("home", world))  # the session's first page costs its own queries
    with CaptureQueriesContext(connection) as one:
        client.get(url("home", world))
    for n in range(1, 6):
        record(world, name=f"S{n}", administrator_ids=[world.rupn_a.pk, world.chef_a.pk])
    with CaptureQueriesContext(connection) as many:
        client.get(url("home", world))
    assert len(many) == len(one)


def test_the_rupn_adds_a_service_and_the_register_shows_it(world, client_for):
    client = client_for("rupn_a")
    response = client.post(url("create", world), form_data(administrators=[world.rupn_a.pk]))
    assert response.status_code == 302
    service = DigitalService.objects.get()
    assert service.name == "Éléa" and list(service.administrators.all()) == [world.rupn_a]
    assert "Éléa" in client.get(url("home", world)).content.decode()


def test_bad_input_says_why_in_french_keeps_what_was_typed_and_writes_nothing(world, client_for):
    response = client_for("rupn_a").post(url("create", world), form_data(address="pas une adresse", since="hier"))
    assert response.status_code == 400
    page = flat(response.content.decode())
    assert "Le service n’a pas été enregistré" in page and "adresse web complète" in page
    assert 'value="pas une adresse"' in page and 'value="hier"' in page
    assert not DigitalService.objects.exists()


def test_ticking_someone_outside_the_school_is_refused(world, client_for):
    response = client_for("rupn_a").post(url("create", world), form_data(administrators=[world.rupn_b.pk]))
    assert response.status_code == 400
    assert "pas membre de l’établissement" in response.content.decode()
    assert not DigitalService.objects.exists()


def test_a_stale_edit_is_refused_with_409_and_the_typed_values_shown_back(world, client_for):
    service = record(world, name="ENT")
    client = client_for("chef_a")
    assert client.post(url("edit", world, service.pk), form_data(name="ENT A", seen_revision=0)).status_code == 302
    response = client.post(url("edit", world, service.pk), form_data(name="ENT B", seen_revision=0))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Quelqu’un a modifié ce service" in page and 'value="ENT B"' in page
    # The page now carries the current revision: saving again, knowingly, goes through.
    assert 'name="seen_revision" value="1"' in page
    assert DigitalService.objects.get().name == "ENT A"
    assert client.post(url("edit", world, service.pk), form_data(name="ENT B", seen_revision=1)).status_code == 302
    assert DigitalService.objects.get().name == "ENT B"


def test_deleting_asks_first_then_removes_the_service(world, client_for):
    service = record(world, name="Cloud", administrator_ids=[world.rupn_a.pk])
    client = client_for("rupn_a")
    page = flat(client.get(url("delete", world, service.pk)).content.decode())
    assert "sera retiré du registre" in page and "1 administrateur(s)" in page
    assert DigitalService.objects.exists()
    assert client.post(url("delete", world, service.pk)).status_code == 302
    assert not DigitalService.objects.exists()


def test_the_ods_export_holds_the_register(world, client_for):
    record(world, name="Pronote", kind="school_life", administrator_ids=[world.chef_a.pk], support_channel="Éditeur")
    response = client_for("member_a").get(url("export_ods", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    content = zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml").decode()
    assert "Pronote" in content and "Éditeur" in content and "Logiciel de vie scolaire" in content


def test_another_schools_service_is_a_404(world, client_for):
    other = record(world, school=world.school_b, by=world.rupn_b, name="Lycée connecté")
    client = client_for("rupn_a")
    assert client.get(url("edit", world, other.pk)).status_code == 404
    assert client.post(url("delete", world, other.pk)).status_code == 404
    assert DigitalService.objects.filter(pk=other.pk).exists()


def test_the_school_page_shows_the_handover_block_to_its_rupn_and_direction_only(world, client_for):
    record(world, name="ENT", administrator_ids=[world.rupn_a.pk])
    record(world, name="Cloud")
    school_page = reverse("territories:school_detail", args=[world.school_a.uai])
    page = flat(client_for("rupn_a").get(school_page).content.decode())
    assert "2 services numériques ; 1 sans administrateur à l’établissement" in page
    assert url("home", world) in page
    assert "sans administrateur à l’établissement" not in client_for("member_a").get(school_page).content.decode()
    assert "sans administrateur" not in client_for("correspondant_40").get(school_page).content.decode()
