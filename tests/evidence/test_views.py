"""The evidence's pages: the block on the things' pages, adding (file or link), refusals that keep
nothing, removal through a confirm page, the download and who may read it per kind of target."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pilotis.commission import services as commission_services
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.evidence import services
from pilotis.evidence.models import Piece
from pilotis.fiches.enums import FicheState, Visibility
from tests.evidence.conftest import PDF, PNG, make_fiche, upload

HISTORY = "/etablissements/{uai}/schematic/2026-2027/indicateurs/PIL.1.01/historique/"


def history(world):
    return HISTORY.format(uai=world.school_a.uai)


def add_url(world):
    return reverse("evidence:add", args=[world.school_a.uai])


def post_file(client, world, answer, name, content, **extra):
    data = {"kind": "file", "target": "answer", "target_id": answer.pk, "next": history(world), **extra}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(add_url(world), data)


def test_the_direction_attaches_a_pdf_from_the_answer_page(client_for, world, answer, stored):
    client = client_for("chef_a")
    page = client.get(history(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pièces justificatives" in html and "Aucune pièce justificative n’est jointe." in html
    assert 'enctype="multipart/form-data"' in html
    response = post_file(client, world, answer, "Charte numérique.pdf", PDF)
    assert response.status_code == 302 and response["Location"] == history(world)
    piece = Piece.objects.get()
    assert piece.name == "Charte numérique.pdf" and piece.answer == answer
    html = client.get(history(world)).content.decode()
    assert "Charte numérique.pdf" in html and reverse("pieces:download", args=[piece.pk]) in html
    assert "est jointe à la réponse à l&#x27;indicateur PIL.1.01" in html


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_kept(client_for, world, answer, stored):
    client = client_for("rupn_a")
    before = stored()
    response = post_file(client, world, answer, "rapport.pdf", b"MZ\x90\x00" + b"\x00" * 500)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce type de fichier n&#x27;est pas accepté : « rapport.pdf » est un programme Windows" in html
    assert not Piece.objects.exists() and stored() == before


def test_an_oversized_upload_is_dropped_while_it_is_read(client_for, world, answer, stored, settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    before = stored()
    response = post_file(client_for("rupn_a"), world, answer, "gros.pdf", PDF + b"0" * 10_000)
    assert response.status_code == 400
    assert "Le fichier dépasse 2 Ko." in response.content.decode()
    assert AuditEvent.objects.get(action=AuditAction.EVIDENCE_REFUSED).after["reason"] == "too_big"
    assert not Piece.objects.exists() and stored() == before


def test_a_javascript_link_is_refused_and_what_was_typed_is_kept(client_for, world, answer):
    data = {
        "kind": "link",
        "target": "answer",
        "target_id": answer.pk,
        "url": "javascript:alert(1)",
        "title": "Mon lien",
    }
    response = client_for("rupn_a").post(add_url(world), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Seuls les liens web" in html and 'value="Mon lien"' in html and "javascript:alert(1)" in html
    assert not Piece.objects.exists()


def test_a_link_is_added_and_shown_without_referrer(client_for, world, answer):
    data = {
        "kind": "link",
        "target": "answer",
        "target_id": answer.pk,
        "url": "https://ent.example.org/x",
        "title": "ENT",
    }
    assert client_for("rupn_a").post(add_url(world), data).status_code == 302
    html = client_for("member_a").get(history(world)).content.decode()
    assert 'href="https://ent.example.org/x" rel="noopener noreferrer nofollow"' in html


def test_another_schools_target_is_a_404(client_for, world, answer):
    data = {"kind": "link", "target": "answer", "target_id": answer.pk, "url": "https://x.example.org/", "title": ""}
    # rupn_b writes school B: school A's answer does not exist under school B's URL.
    response = client_for("rupn_b").post(reverse("evidence:add", args=[world.school_b.uai]), data)
    assert response.status_code == 404
    assert not Piece.objects.exists()


def test_csrf_is_checked_on_the_upload(world, answer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.rupn_a, backend="pilotis.accounts.backends.UsernameOrEmailBackend")
    response = client.post(
        add_url(world),
        {"kind": "file", "target": "answer", "target_id": answer.pk, "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not Piece.objects.exists()


def test_the_download_headers(client_for, world, answer):
    piece = services.add_file("answer", answer, upload('"><script>.pdf', PDF), by=world.rupn_a)
    assert piece.name == "script.pdf"
    response = client_for("correspondant_40").get(reverse("pieces:download", args=[piece.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"] == 'attachment; filename="script.pdf"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_removed_piece_cannot_be_downloaded(client_for, world, answer):
    piece = services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    services.remove_piece(piece, by=world.rupn_a)
    assert client_for("chef_a").get(reverse("pieces:download", args=[piece.pk])).status_code == 404


def test_removal_asks_first_then_keeps_the_trace(client_for, world, answer, django_capture_on_commit_callbacks, stored):
    piece = services.add_file("answer", answer, upload("Charte.pdf", PNG[:0] + PDF), by=world.rupn_a)
    client = client_for("chef_a")
    url = reverse("evidence:remove", args=[world.school_a.uai, piece.pk]) + "?next=" + history(world)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Retirer la pièce « Charte.pdf »" in html and "Le fichier sera effacé" in html
    assert Piece.objects.live().count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": history(world)})
    assert response.status_code == 302 and response["Location"] == history(world)
    assert piece.stored_name not in stored()
    html = client.get(history(world)).content.decode()
    assert "Pièces retirées" in html and "retirée par" in html


def test_a_validated_assessment_shows_its_pieces_without_the_form(client_for, world, answer):
    from pilotis.assessments import services as assessment_services

    services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    assessment_services.validate_assessment(answer.assessment, by=world.chef_a)
    html = client_for("chef_a").get(history(world)).content.decode()
    assert "a.pdf" in html and "Cet autodiagnostic est validé" in html
    assert 'enctype="multipart/form-data"' not in html
    data = {"kind": "link", "target": "answer", "target_id": answer.pk, "url": "https://x.example.org/", "title": ""}
    response = client_for("chef_a").post(add_url(world), data)
    assert response.status_code == 400 and "Cet autodiagnostic est validé" in response.content.decode()
    assert Piece.objects.count() == 1


def test_the_answer_block_costs_the_same_with_one_or_ten_pieces(client_for, world, answer, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("rupn_a")
    services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    client.get(history(world))
    with CaptureQueriesContext(connection) as one:
        client.get(history(world))
    for n in range(9):
        services.add_link("answer", answer, url=f"https://x.example.org/{n}", title=f"Lien {n}", by=world.rupn_a)
    services.remove_piece(Piece.objects.filter(kind="link").first(), by=world.rupn_a)
    with django_assert_num_queries(len(one)):
        client.get(history(world))


def test_the_domain_page_counts_pieces_in_one_query(client_for, world, answer, current):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("rupn_a")
    url = f"/etablissements/{world.school_a.uai}/schematic/2026-2027/domaines/PIL/"
    client.get(url)  # the scope is cached by the first page
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    services.add_file("answer", answer, upload("b.pdf", PDF), by=world.rupn_a)
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert len(after) == len(before)
    assert "2 pièces justificatives jointes" in html


def test_synthesis_and_pdf_report_list_the_names(client_for, world, answer):
    services.add_file("answer", answer, upload("Charte numérique.pdf", PDF), by=world.rupn_a)
    services.add_link("answer", answer, url="https://ent.example.org/", title="Page ENT", by=world.rupn_a)
    client = client_for("correspondant_40")
    html = client.get(f"/etablissements/{world.school_a.uai}/schematic/2026-2027/synthese/").content.decode()
    assert "Pièces justificatives, par indicateur" in html
    assert "Charte numérique.pdf, Page ENT (lien)" in html
    response = client.get(f"/etablissements/{world.school_a.uai}/schematic/2026-2027/edition/rapport.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Pièces justificatives : Charte numérique.pdf, Page ENT (lien)" in text


def test_the_action_and_meeting_pages_show_their_block(client_for, world, action):
    meeting = commission_services.create_meeting(
        world.school_a, by=world.chef_a, starts_at=timezone.now() + datetime.timedelta(days=3), place="CDI"
    )
    services.add_file("action", action, upload("plan.pdf", PDF), by=world.rupn_a)
    services.add_file("meeting", meeting, upload("cr.pdf", PDF), by=world.chef_a)
    client = client_for("correspondant_40")
    html = client.get(reverse("plans:action", args=[world.school_a.uai, action.pk])).content.decode()
    assert "plan.pdf" in html and "Pièces justificatives" in html and "Joindre un fichier" not in html
    html = client.get(reverse("commission:meeting", args=[world.school_a.uai, meeting.pk])).content.decode()
    assert "cr.pdf" in html
    html = (
        client_for("rupn_a").get(reverse("commission:meeting", args=[world.school_a.uai, meeting.pk])).content.decode()
    )
    assert "Joindre un fichier" in html


def download_status(client_for, persona, piece):
    return client_for(persona).get(reverse("pieces:download", args=[piece.pk])).status_code


@pytest.mark.parametrize(
    ("state", "visibility", "readers"),
    [
        (FicheState.DRAFT, Visibility.ACADEMY, {"chef_a", "member_a", "admin"}),
        (FicheState.PUBLISHED, Visibility.SCHOOL, {"chef_a", "member_a", "admin"}),
        # Published and shared with the académie: its users read it, those of Rennes do not.
        (
            FicheState.PUBLISHED,
            Visibility.ACADEMY,
            {"chef_a", "member_a", "rupn_b", "correspondant_40", "correspondant_64", "dane", "admin"},
        ),
    ],
)
def test_a_fiches_pieces_follow_the_fiche(client, client_for, world, state, visibility, readers):
    fiche = make_fiche(world, state=state, visibility=visibility)
    piece = services.add_file("fiche", fiche, upload("support.pdf", PDF), by=world.rupn_a)
    for persona in (
        "chef_a",
        "member_a",
        "rupn_b",
        "chef_c",
        "correspondant_40",
        "correspondant_64",
        "dane",
        "dane_rennes",
        "admin",
        "nobody",
    ):
        client.logout()
        expected = 200 if persona in readers else 404
        assert download_status(client_for, persona, piece) == expected, persona


def test_a_fiches_author_attaches_and_is_not_named_outside_the_school(client_for, world):
    fiche = make_fiche(world, state=FicheState.PUBLISHED, visibility=Visibility.ACADEMY, author=world.member_a)
    piece = services.add_file("fiche", fiche, upload("support.pdf", PDF), by=world.member_a)
    assert piece.added_by == world.member_a
    other = make_fiche(world)
    with pytest.raises(PermissionDenied):
        services.add_file("fiche", other, upload("support.pdf", PDF), by=world.member_a)
    from django.test import RequestFactory

    from pilotis.core.panels import attached_panels_for

    request = RequestFactory().get("/fiches/1/")
    request.user = world.rupn_b
    [panel] = attached_panels_for(request, "fiche", fiche)
    assert panel.data["show_who"] is False and not panel.data["writer"]
    request.user = world.chef_a
    [panel] = attached_panels_for(request, "fiche", fiche)
    assert panel.data["show_who"] is True and panel.data["writer"]


def test_a_workshops_pieces_are_read_by_the_schools_readers(client_for, world, workshop):
    piece = services.add_file("workshop", workshop, upload("emargement.pdf", PDF), by=world.rupn_a)
    assert download_status(client_for, "correspondant_40", piece) == 200
    assert download_status(client_for, "rupn_b", piece) == 404


def test_the_way_back_stays_on_pilotis(client_for, world, answer):
    data = {"kind": "link", "target": "answer", "target_id": answer.pk, "url": "https://x.example.org/", "title": ""}
    for evil in ("//evil.example.org/", "https://evil.example.org/", "javascript:alert(1)"):
        response = client_for("rupn_a").post(add_url(world), {**data, "next": evil})
        assert response.status_code == 302 and response["Location"] == history(world), evil


def test_writers_see_the_space_used(client_for, world, answer):
    services.add_file("answer", answer, upload("a.pdf", PDF), by=world.rupn_a)
    assert (
        "Espace utilisé par les pièces de l’établissement : 1 Ko sur 500 Mo."
        in client_for("rupn_a").get(history(world)).content.decode()
    )
    assert "Espace utilisé" not in client_for("member_a").get(history(world)).content.decode()


def test_the_form_alone_for_writers(client_for, world, answer):
    url = add_url(world) + f"?target=answer&target_id={answer.pk}"
    page = client_for("rupn_a").get(url)
    assert page.status_code == 200
    assert "Joindre une pièce justificative" in page.content.decode()
    assert "À la réponse à l&#x27;indicateur PIL.1.01." in page.content.decode()
    assert client_for("member_a").get(url).status_code == 403
    assert client_for("rupn_a").get(add_url(world) + "?target=answer&target_id=999999").status_code == 404


def test_the_action_and_meeting_blocks_cost_the_same_with_more_pieces(client_for, world, action):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = commission_services.create_meeting(
        world.school_a, by=world.chef_a, starts_at=timezone.now() + datetime.timedelta(days=3), place="CDI"
    )
    pages = {
        "action": (action, reverse("plans:action", args=[world.school_a.uai, action.pk])),
        "meeting": (meeting, reverse("commission:meeting", args=[world.school_a.uai, meeting.pk])),
    }
    client = client_for("rupn_a")
    for target, (obj, url) in pages.items():
        services.add_file(target, obj, upload("a.pdf", PDF), by=world.rupn_a)
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for n in range(6):
            services.add_link(target, obj, url=f"https://x.example.org/{n}", title=f"Lien {n}", by=world.rupn_a)
        with CaptureQueriesContext(connection) as seven:
            html = client.get(url).content.decode()
        assert len(seven) == len(one), target
        assert "Lien 5" in html


def test_the_schools_list_of_pieces_for_its_members(client_for, world, answer, action, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.add_file("answer", answer, upload("Charte.pdf", PDF), by=world.rupn_a)
    services.add_file("action", action, upload("Plan.pdf", PDF), by=world.rupn_a)
    draft = make_fiche(world)
    services.add_file("fiche", draft, upload("Brouillon.pdf", PDF), by=world.rupn_a)
    url = reverse("evidence:list", args=[world.school_a.uai])
    client = client_for("member_a")
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        html = client.get(url).content.decode()
    for name in ("Charte.pdf", "Plan.pdf", "Brouillon.pdf"):
        assert name in html
    assert (
        "La réponse à l&#x27;indicateur PIL.1.01" in html
        and "L&#x27;action « Former l&#x27;équipe à l&#x27;ENT »" in html
    )
    for n in range(5):
        services.add_link("action", action, url="https://x.example.org/", title=f"L{n}", by=world.rupn_a)
    with django_assert_max_num_queries(len(three)):
        client.get(url)
    # The territory reads the school, not this list (a draft fiche's pieces are among them).
    assert client_for("correspondant_40").get(url).status_code == 403
    assert client_for("rupn_b").get(url).status_code == 404


def test_the_school_page_says_how_much_room_the_pieces_take(client_for, world, answer):
    services.add_file("answer", answer, upload("Charte.pdf", PDF), by=world.rupn_a)
    html = client_for("member_a").get(reverse("territories:school_detail", args=[world.school_a.uai])).content.decode()
    assert "1 pièce jointe aux travaux de l’établissement" in html
    assert reverse("evidence:list", args=[world.school_a.uai]) in html
    html = (
        client_for("correspondant_40")
        .get(reverse("territories:school_detail", args=[world.school_a.uai]))
        .content.decode()
    )
    assert reverse("evidence:list", args=[world.school_a.uai]) not in html
