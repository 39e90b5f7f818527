"""Arbitrary input — any Unicode, NUL, 10,000 characters, ids no column holds — on the forms of the
flash'infos, the académie's news, the fiches, the support requests and their routing, the equipment
needs, the evidence, the workshops and the password set by a reset link: never a 5xx, never a NUL
stored.

Each form is posted by a persona who may write it, once with a NASTY value in every field, then
with its other fields valid so that the arbitrary text reaches the service. Each post must reach
the form (a page, a redirection, a refusal: never a 403 or a 404, which would fuzz nothing). Every
example runs in a savepoint rolled back after it."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import example, given, settings

from pilotis.equipment.models import Need
from pilotis.newsletters import services as newsletter_services
from pilotis.support.models import Channel
from tests.equipment.conftest import prioritised
from tests.equipment.conftest import record as record_need
from tests.evidence.conftest import answer, current  # noqa: F401 — fixtures
from tests.fiches.helpers import draft as fiche_draft
from tests.fiches.helpers import form_data as fiche_data
from tests.news.conftest import draft as news_draft
from tests.newsletters.helpers import draft as newsletter_draft
from tests.security.fuzz import NASTY, post_ok, rolled_back
from tests.security.fuzz import SETTINGS as FUZZ_SETTINGS
from tests.support.conftest import channels, glpi  # noqa: F401 — fixtures
from tests.support.conftest import draft as request_draft
from tests.workshops.conftest import a_past_day
from tests.workshops.conftest import record as record_workshop

# Fewer examples than tests.security.fuzz.SETTINGS: each example posts a form several times, and
# the file must run in well under a minute.
SETTINGS = settings(FUZZ_SETTINGS, max_examples=6)
# The form answered: shown again, done, refused with its message, or refused as stale.
REACHED = {200, 302, 400, 409}
APPS = ["newsletters", "news", "fiches", "support", "equipment", "evidence", "workshops", "accounts", "api"]


@pytest.fixture
def referential(mini_referential):
    return mini_referential


def no_nul_stored():
    """No text column of these apps' models holds a NUL (checked in Python: SQLite's LIKE stops at
    a NUL, so a `__contains` lookup would match everything)."""
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
            ]
            if not fields:
                continue
            for row in model.objects.values_list(*fields):
                assert not any("\x00" in (value or "") for value in row), (model.__name__, row)


def upload_name(name):
    """An arbitrary file name the test client can send (it refuses a path and an empty name; the
    multipart parser would keep only the last part of a path anyway)."""
    name = name[:200].replace("/", "_").replace("\\", "_")
    return name if name not in {"", ".", ".."} else "x"


def reach(client, url, data, **extra):
    response = post_ok(client, url, data, **extra)
    assert response.status_code in REACHED, (url, response.status_code)
    return response


# --- The flash'infos ------------------------------------------------------------------------------


@SETTINGS
@given(title=NASTY, body=NASTY, revision=NASTY)
@example(title="Flash\x00", body="Texte", revision="0")
def test_newsletter_edit_form(client_for, world, title, body, revision):
    with rolled_back():
        issue = newsletter_draft(world)
        url = reverse("newsletters:edit", args=[world.school_a.uai, issue.pk])
        client = client_for("rupn_a")
        reach(client, url, {"title": title, "body": body, "seen_revision": revision})
        response = reach(client, url, {"title": title, "body": body, "seen_revision": str(issue.revision)})
        if "\x00" in title + body:
            assert response.status_code == 400
        no_nul_stored()


@SETTINGS
@given(comment=NASTY, revision=NASTY)
def test_newsletter_proofread_form(client_for, world, comment, revision):
    with rolled_back():
        issue = newsletter_services.ask_proofreading(newsletter_draft(world), by=world.rupn_a)
        url = reverse("newsletters:proofread", args=[world.school_a.uai, issue.pk])
        client = client_for("chef_a")
        reach(client, url, {"comment": comment, "seen_revision": revision})
        reach(client, url, {"comment": comment, "seen_revision": str(issue.revision)})
        no_nul_stored()


@SETTINGS
@given(rhythm=NASTY, email=NASTY, label=NASTY)
@example(rhythm="monthly", email="parents@example.org", label="Parents\x00")
def test_newsletter_settings_forms(client_for, world, rhythm, email, label):
    url = reverse("newsletters:settings", args=[world.school_a.uai])
    with rolled_back():
        client = client_for("rupn_a")
        reach(client, url, {"form": "rhythm", "rhythm-rhythm": rhythm})
        reach(client, url, {"form": "address", "address-email": email, "address-label": label})
        reach(client, url, {"form": "address", "address-email": "parents@example.org", "address-label": label})
        no_nul_stored()


# --- The académie's news ------------------------------------------------------------------------


@SETTINGS
@given(title=NASTY, body=NASTY, link=NASTY, choice=NASTY)
@example(title="LINE\x00", body="Texte", link="", choice="")
def test_news_forms(client_for, world, title, body, link, choice):
    valid = {"title": "LINE 40", "body": "Texte", "link": "", "territory": f"d{world.landes.pk}", "school_kind": ""}
    with rolled_back():
        item = news_draft(world)
        client = client_for("correspondant_40")
        for url in (reverse("news:create"), reverse("news:edit", args=[item.pk])):
            nasty = {"title": title, "body": body, "link": link, "territory": choice, "school_kind": choice}
            reach(client, url, nasty)
            reach(client, url, {**valid, "title": title, "body": body})
            reach(client, url, {**valid, "link": link, "preview": "1"})
        no_nul_stored()


# --- The fiches ---------------------------------------------------------------------------------


@SETTINGS
@given(text=NASTY, other=NASTY, choice=NASTY, number=NASTY)
@example(text="Le TNI\x00", other="", choice="", number="")
def test_fiche_forms(client_for, world, text, other, choice, number):
    nasty = {
        "title": text,
        "summary": other,
        "school_year": choice,
        "levels": [choice],
        "disciplines": choice,
        "competences": [choice],
        "tools": text,
        "organisation": choice,
        "duration_minutes": number,
        "sessions": number,
        "pupils": number,
        "course": other,
        "effects": text,
        "difficulties": other,
        "licence": choice,
        "visibility": choice,
        "indicators": [choice],
        "authors": [choice],
        "actions": [choice],
        "seen_revision": number,
    }
    texts = {name: nasty[name] for name in ("title", "summary", "tools", "course", "effects", "difficulties")}
    with rolled_back():
        fiche = fiche_draft(world, by=world.rupn_a)
        client = client_for("rupn_a")
        for url in (
            reverse("fiches:create", args=[world.school_a.uai]),
            reverse("fiches:edit", args=[world.school_a.uai, fiche.pk]),
        ):
            reach(client, url, nasty)
            reach(client, url, fiche_data(world, **texts))
        no_nul_stored()


# --- The support requests and their routing ---------------------------------------------------------


@SETTINGS
@given(text=NASTY, other=NASTY, choice=NASTY, revision=NASTY)
@example(text="Le wifi\x00", other="", choice="", revision="1")
def test_support_request_forms(client_for, world, channels, text, other, choice, revision):  # noqa: F811
    nasty = {
        "subject": text,
        "category": choice,
        "urgency": choice,
        "description": other,
        "place": text,
        "equipment": other,
        "action": choice,
        "indicator_code": choice,
        "seen_revision": revision,
    }
    valid = {"subject": "Le wifi", "category": "network", "urgency": "normal", "description": "Rien ne marche."}
    texts = {"subject": text or "Le wifi", "description": other or "Rien", "place": text, "equipment": other}
    with rolled_back():
        request = request_draft(world)
        client = client_for("rupn_a")
        for url in (
            reverse("support:create", args=[world.school_a.uai]),
            reverse("support:edit", args=[world.school_a.uai, request.pk]),
        ):
            reach(client, url, nasty)
            reach(client, url, {**valid, **texts, "seen_revision": str(request.revision)})
        no_nul_stored()


@SETTINGS
@given(reference=NASTY, name=NASTY)
@example(reference="INC\x00123", name="capture\x00.png")
def test_support_portal_done_and_attachment_forms(client_for, world, channels, reference, name):  # noqa: F811
    uai = world.school_a.uai
    with rolled_back():
        request = request_draft(world, category="ent")
        client = client_for("rupn_a")
        post_ok(client, reverse("support:portal_done", args=[uai, request.pk]), {"reference": reference})
        upload = SimpleUploadedFile(upload_name(name), b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
        reach(client, reverse("support:attach", args=[uai, request.pk]), {"file": upload})
        no_nul_stored()


@SETTINGS
@given(text=NASTY, other=NASTY, choice=NASTY, number=NASTY)
@example(text="AMÉRANA\x00", other="", choice="email", number="")
def test_support_channel_and_route_forms(client_for, world, channels, text, other, choice, number):  # noqa: F811
    academy = world.bordeaux.pk
    amerana = channels["amerana"]
    nasty = {
        "name": text,
        "way": choice,
        "email": other,
        "glpi_url": text,
        "glpi_credentials": other,
        "portal_url": text,
        **{f"glpi_category_{code}": number for code in ("network", "devices", "ent", "other")},
    }
    with rolled_back():
        client = client_for("dane")
        for url in (
            reverse("support_routing:channel_create", args=[academy]),
            reverse("support_routing:channel_edit", args=[academy, amerana.pk]),
        ):
            reach(client, url, nasty)
            reach(client, url, {"name": text, "way": "email", "email": "aide@ac-bordeaux.example"})
        route = reverse("support_routing:route_add", args=[academy])
        post_ok(client, route, {"category": choice, "department": number, "school_kind": choice, "channel": number})
        post_ok(client, route, {"category": "ent", "department": "", "school_kind": choice, "channel": amerana.pk})
        no_nul_stored()
        assert not Channel.objects.filter(academy=world.rennes).exclude(name="Assistance Rennes").exists()


# --- The equipment needs -----------------------------------------------------------------------------


@SETTINGS
@given(text=NASTY, other=NASTY, choice=NASTY, number=NASTY)
@example(text="Vidéoprojecteur\x00", other="", choice="", number="2")
def test_need_forms(client_for, world, text, other, choice, number):
    nasty = {
        "category": choice,
        "object": text,
        "quantity": number,
        "place": other,
        "why": text,
        "infrastructure": [choice],
        "other_indicators": [choice],
        "estimated_cost": number,
        "funder": choice,
        "seen_revision": number,
    }
    valid = {"category": "display", "quantity": "2", "funder": "department", "estimated_cost": ""}
    with rolled_back():
        need = record_need(world)
        client = client_for("rupn_a")
        for url in (
            reverse("equipment:create", args=[world.school_a.uai]),
            reverse("equipment:edit", args=[world.school_a.uai, need.pk]),
        ):
            reach(client, url, nasty)
            reach(client, url, {**valid, "object": text, "place": other, "why": text, "seen_revision": need.revision})
        no_nul_stored()


@SETTINGS
@given(target=NASTY, note=NASTY, revision=NASTY, rank=NASTY)
@example(target="prioritised", note="Urgent\x00", revision="1", rank="1")
def test_need_state_and_rank_forms(client_for, world, target, note, revision, rank):
    uai = world.school_a.uai
    with rolled_back():
        need = prioritised(world)
        client = client_for("chef_a")
        state = reverse("equipment:change_state", args=[uai, need.pk])
        reach(client, state, {"target": target, "note": note, "seen_revision": revision})
        reach(client, state, {"target": "transmitted", "note": note, "seen_revision": need.revision})
        reach(client, reverse("equipment:rank", args=[uai]), {"seen": revision, f"rank_{need.pk}": rank})
        no_nul_stored()
        assert set(Need.objects.values_list("school_id", flat=True)) == {world.school_a.pk}


@SETTINGS
@given(name=NASTY, email=NASTY, department=NASTY, category=NASTY, state=NASTY)
def test_collectivity_form_and_territory_filters(client_for, world, name, email, department, category, state):
    with rolled_back():
        record_need(world)
        client = client_for("dane")
        url = reverse("territory_needs:collectivity_department", args=[world.landes.code])
        reach(client, url, {"name": name, "email": email})
        reach(client, url, {"name": name, "email": ""})
        no_nul_stored()
    params = {"department": department, "category": category, "state": state}
    response = client_for("correspondant_40").get(reverse("territory_needs:overview"), params)
    assert response.status_code == 200
    assert world.school_b.name not in response.content.decode()
    assert (
        client_for("correspondant_40").get(reverse("territory_needs:export", args=["csv"]), params).status_code == 200
    )


# --- The evidence ------------------------------------------------------------------------------------


@SETTINGS
@given(url=NASTY, title=NASTY, choice=NASTY, name=NASTY)
@example(url="https://example.org/\x00", title="Lien", choice="", name="a.pdf")
def test_evidence_forms(client_for, world, answer, url, title, choice, name):  # noqa: F811
    add = reverse("evidence:add", args=[world.school_a.uai])
    target = {"target": "answer", "target_id": str(answer.pk), "next": ""}
    with rolled_back():
        client = client_for("rupn_a")
        post_ok(client, add, {"kind": choice, "target": choice, "target_id": choice, "url": url, "title": title})
        reach(client, add, {**target, "kind": "link", "url": url, "title": title})
        reach(client, add, {**target, "kind": "link", "url": "https://example.org/charte", "title": title})
        upload = SimpleUploadedFile(upload_name(name), b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
        reach(client, add, {**target, "kind": "file", "file": upload})
        no_nul_stored()


# --- The workshops -----------------------------------------------------------------------------------


@SETTINGS
@given(text=NASTY, other=NASTY, choice=NASTY, number=NASTY)
@example(text="Découvrir Pix\x00", other="", choice="", number="")
def test_workshop_forms(client_for, world, text, other, choice, number):
    nasty = {
        "held_on": choice,
        "starts_at": choice,
        "duration_minutes": number,
        "place": text,
        "title": text,
        "kind": choice,
        "theme": choice,
        "theme_other": other,
        "presents_catalogue": choice,
        "tools": other,
        "audiences": [choice],
        "participants": [number],
        "participant_count": number,
        "materials": other,
        "seen_revision": number,
    }
    valid = {"held_on": a_past_day().isoformat(), "kind": "workshop", "theme": "pix", "audiences": ["teachers"]}
    texts = {"title": text, "place": text, "theme_other": other, "tools": other, "materials": other}
    with rolled_back():
        session = record_workshop(world)
        client = client_for("rupn_a")
        for url in (
            reverse("workshops:create", args=[world.school_a.uai]),
            reverse("workshops:edit", args=[world.school_a.uai, session.pk]),
        ):
            reach(client, url, nasty)
            reach(client, url, {**valid, **texts, "seen_revision": session.revision})
        attendance = reverse("workshops:attendance", args=[world.school_a.uai, session.pk])
        reach(client, attendance, {"present": [number], "participant_count": number, "seen_revision": choice})
        no_nul_stored()
    assert (
        client_for("rupn_a").get(reverse("workshops:home", args=[world.school_a.uai]), {"annee": text}).status_code
        == 200
    )


# --- The register's filter and the password set by a reset link ---------------------------------------


@SETTINGS
@given(nature=NASTY)
def test_digital_services_filter(client_for, world, nature):
    response = client_for("member_a").get(
        reverse("digital_services:home", args=[world.school_a.uai]), {"nature": nature}
    )
    assert response.status_code == 200


@SETTINGS
@given(first=NASTY, second=NASTY)
@example(first="Pilotis-Ardoise42\x00", second="Pilotis-Ardoise42\x00")
def test_set_password_form(client, world, first, second):
    """The new password of a reset link (and of an invitation): refused or set, never a 5xx."""
    user = world.member_a
    link = reverse(
        "accounts:password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
    )
    with rolled_back():
        form = client.get(link)
        assert form.status_code == 302  # Django keeps the token in the session, out of the address
        reach(client, form["Location"], {"new_password1": first, "new_password2": first})
        reach(client, form["Location"], {"new_password1": first, "new_password2": second})
        no_nul_stored()


@SETTINGS
@given(q=NASTY, choice=NASTY, tool=NASTY, page=NASTY)
def test_fiche_catalogue_filters(client_for, world, q, choice, tool, page):
    params = {
        "q": q,
        "discipline": choice,
        "level": choice,
        "competence": choice,
        "tool": tool,
        "department": choice,
        "school_kind": choice,
        "sort": choice,
        "page": page,
    }
    client = client_for("member_a")
    assert client.get(reverse("fiche_catalogue:list"), params).status_code == 200
    assert client.get(reverse("fiche_catalogue:export", args=["csv"]), params).status_code == 200


# --- The API's personal access tokens ------------------------------------------------------------


@SETTINGS
@given(name=NASTY, expires=NASTY)
@example(name="Jeton\x00", expires="")
def test_api_token_form(client_for, world, name, expires):
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    with rolled_back():
        client = client_for("dane")
        reach(client, reverse("api_tokens:create"), {"name": name, "expires_on": expires})
        reach(client, reverse("api_tokens:create"), {"name": name, "expires_on": later})
        no_nul_stored()
