"""The flash'infos' pages: the archive, edit with preview, bad input and stale edits shown back,
the publication's confirmation, the PDF, the settings, « Reprendre dans le prochain flash'infos »."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from pilotis.core.models import Mailing
from pilotis.newsletters import services
from pilotis.newsletters.enums import NewsletterState
from pilotis.newsletters.models import ListAddress, Newsletter
from tests.newsletters.helpers import draft, news, published, with_list

pytestmark = pytest.mark.django_db


def url(name, world, *args):
    return reverse(f"newsletters:{name}", args=[world.school_a.uai, *args])


def test_the_archive_lists_numbers_for_members_and_drafts_for_writers(world, client_for):
    published(world, title="Numéro un")
    draft(world, title="En cours d'écriture")
    page = client_for("member_a").get(url("home", world)).content.decode()
    assert "Numéro un" in page and "n° 1" in page and "En cours d" not in page
    page = client_for("rupn_a").get(url("home", world)).content.decode()
    assert "En cours d" in page and "Reprendre le brouillon" in page


def test_prepare_then_edit_with_a_preview(world, client_for):
    client = client_for("rupn_a")
    response = client.post(url("prepare", world))
    issue = Newsletter.objects.get()
    assert response.status_code == 302 and response["Location"] == url("edit", world, issue.pk)
    data = {"seen_revision": 0, "title": "Décembre", "body": "## Titre\n\n**Gras** <script>x</script>", "preview": "1"}
    page = client.post(url("edit", world, issue.pk), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>Gras</strong>" in html and "<script>x" not in html
    assert Newsletter.objects.get().revision == 0  # a preview writes nothing
    del data["preview"]
    assert client.post(url("edit", world, issue.pk), data).status_code == 302
    assert Newsletter.objects.get().title == "Décembre"


def test_bad_input_is_shown_back(world, client_for):
    issue = draft(world)
    response = client_for("rupn_a").post(
        url("edit", world, issue.pk), {"seen_revision": issue.revision, "title": "", "body": "Mon texte tapé"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mon texte tapé" in page and "n’a pas été enregistré" in page


def test_a_stale_edit_is_a_409_with_the_typed_text(world, client_for):
    issue = draft(world)
    seen = issue.revision
    draft(world, body="Version du chef", by=world.chef_a)
    response = client_for("rupn_a").post(
        url("edit", world, issue.pk), {"seen_revision": seen, "title": "Titre", "body": "Ma version à moi"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Ma version à moi" in page and "modifié par quelqu’un d’autre" in page
    assert Newsletter.objects.get().body == "Version du chef"
    assert f'name="seen_revision" value="{seen + 1}"' in page  # saving again is a knowing choice


def test_the_publication_page_says_to_whom_and_what_is_missing(world, client_for):
    with_list(world, "parents@example.org", "cdi@example.org")
    issue = draft(world, body="## Le mot du RUPN\n\nÀ compléter.\n\n## Ateliers\n\n- Pix")
    page = client_for("rupn_a").get(url("publish", world, issue.pk)).content.decode()
    assert "n° 1" in page
    assert "4 membre(s) de l’établissement ayant une adresse et à 2 adresse(s)" in page
    assert "Il n’a pas été relu par la direction." in page
    assert "« Le mot du RUPN » est vide" in page
    assert Newsletter.objects.get().state == NewsletterState.DRAFT  # GET writes nothing


def test_publishing_by_the_confirmation_form(world, client_for):
    with_list(world)
    issue = draft(world)
    response = client_for("rupn_a").post(url("publish", world, issue.pk), {"seen_revision": issue.revision})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.number == 1 and issue.mailing.total == 5
    page = client_for("member_a").get(url("detail", world, issue.pk)).content.decode()
    assert "Flash'infos n° 1" in page and "Non relu par la direction." in page


def test_a_publication_on_a_stale_page_is_refused(world, client_for):
    with_list(world)
    issue = draft(world)
    response = client_for("rupn_a").post(url("publish", world, issue.pk), {"seen_revision": issue.revision + 5})
    assert response.status_code == 302
    assert Newsletter.objects.get().number is None


def test_the_pdf(world, client_for):
    issue = published(world)
    response = client_for("member_a").get(url("pdf", world, issue.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content if response.streaming else [response.content])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Flash'infos de décembre" in text and "Bonjour à tous." in text and "n° 1" in text


def test_settings_refuse_a_bad_address_and_keep_what_was_typed(world, client_for):
    client = client_for("chef_a")
    response = client.post(
        url("settings", world), {"form": "address", "address-email": "pas-une-adresse", "address-label": "CDI"}
    )
    assert response.status_code == 400
    assert 'value="pas-une-adresse"' in response.content.decode()
    assert not ListAddress.objects.exists()
    response = client.post(
        url("settings", world), {"form": "address", "address-email": "cdi@example.org", "address-label": "CDI"}
    )
    assert response.status_code == 302 and ListAddress.objects.get().label == "CDI"


def test_take_news_appends_to_the_draft_and_refuses_another_audience(world, client_for):
    client = client_for("rupn_a")
    item = news(world, title="Concours de code")
    response = client.post(url("take_news", world, item.pk))
    issue = Newsletter.objects.get()
    assert response.status_code == 302 and "### Concours de code" in issue.body
    foreign = news(world, title="Pour Rennes", academy=world.rennes)
    assert client.post(url("take_news", world, foreign.pk)).status_code == 404
    assert "Pour Rennes" not in Newsletter.objects.get().body


def test_the_school_page_shows_the_panel_to_writers_only(world, client_for):
    published(world)
    school_url = reverse("territories:school_detail", args=[world.school_a.uai])
    page = client_for("rupn_a").get(school_url).content.decode()
    assert "Dernier flash'infos : n° 1, publié le" in page and "Le prochain est attendu le" in page
    assert "Dernier flash'infos" not in client_for("member_a").get(school_url).content.decode()


def test_resuming_a_sending_that_waits_for_its_author(world, client_for):
    issue = published(world)
    client = client_for("rupn_a")
    page = client.get(url("resume", world, issue.pk)).content.decode()
    assert "n’attend pas de reprise" in page  # not failed: nothing to resume
    Mailing.objects.filter(pk=issue.mailing_id).update(attempts=6, last_error="Le serveur est injoignable.")
    page = client.get(url("detail", world, issue.pk)).content.decode()
    assert "Reprendre l’envoi" in page
    page = client.get(url("resume", world, issue.pk)).content.decode()
    assert "5 destinataire(s)" in page and "injoignable" in page
    assert client.post(url("resume", world, issue.pk)).status_code == 302
    assert Mailing.objects.get(pk=issue.mailing_id).attempts == 0


def test_the_archive_s_queries_do_not_grow_with_the_issues(world, client_for, django_assert_max_num_queries):
    client = client_for("member_a")
    published(world)
    with CaptureQueriesContext(connection) as one:
        client.get(url("home", world))
    for n in range(4):
        published(world, title=f"Numéro {n + 2}")
    with django_assert_max_num_queries(len(one)):
        client.get(url("home", world))


def test_the_panel_tells_the_direction_a_draft_waits_for_its_proofreading(world, client_for):
    services.ask_proofreading(draft(world), by=world.rupn_a)
    school_url = reverse("territories:school_detail", args=[world.school_a.uai])
    assert "attend votre relecture" in client_for("chef_a").get(school_url).content.decode()
    page = client_for("rupn_a").get(school_url).content.decode()
    assert "attend votre relecture" not in page and "Un brouillon est en préparation." in page
