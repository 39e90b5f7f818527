"""Every e-mail Pilotis sends today, through its real code path, received by a real SMTP server on
loopback (tests/smtp.py): what arrives — To, From, Subject, Reply-To, a unique Message-ID, a body
in UTF-8 with its accents and its link, the convocation's calendar invitation. And a person's name
with a line break never becomes a header of its own (no Bcc arrives, nobody else is written to)."""

import datetime
import io
import re

import pytest
import vobject
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pilotis.accounts import services as accounts
from pilotis.accounts.models import User
from pilotis.assessments import services as assessments
from pilotis.assessments.models import Assessment
from pilotis.commission import services as commission
from pilotis.core.school_years import current_school_year
from pilotis.fiches import curation
from pilotis.missions import services as missions
from pilotis.missions.catalogue import ensure_shipped_entries
from pilotis.missions.models import CatalogueEntry
from pilotis.missions.services import school_year_bounds
from pilotis.referential.models import Indicator
from pilotis.steering import services as steering
from pilotis.steering.figures import Territory
from tests.fiches.test_catalogue_support import make_fiche

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")
# A name as a careless import or an old account might hold it: a line break, then a header.
INJECTED = "Claire\r\nBcc: eve@evil.example"


def plain(message) -> str:
    """The text/plain body as the reader sees it (decoded from its transfer encoding)."""
    part = message.get_body(preferencelist=("plain",))
    assert part.get_content_type() == "text/plain"
    assert part.get_content_charset() == "utf-8"
    return part.get_content()


def check(message, *, to, subject, reply_to=None) -> str:
    """The headers every Pilotis e-mail carries; returns its text."""
    assert sorted(a.strip() for a in message["To"].split(",")) == sorted(to)
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == subject
    assert message["Reply-To"] == reply_to
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message["Message-ID"])
    assert message["Date"]
    assert message["Bcc"] is None and message["Cc"] is None
    assert message["MIME-Version"] == "1.0"
    return plain(message)


def unique_ids(messages):
    ids = [m["Message-ID"] for m in messages]
    assert len(set(ids)) == len(ids)


def delivered_to(smtp_server) -> list[str]:
    """Every envelope recipient the server accepted (what really receives a copy, Bcc or not)."""
    return sorted(address for envelope in smtp_server.inbox.envelopes for address in envelope.rcpt_tos)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_campaign_reminders_reach_each_schools_direction_and_rupn(world, campaign, smtp_server):
    batch = steering.request_reminders(
        Territory.of(campaign, [world.landes]), target="not_validated", department=None, by=world.dane
    )
    assert steering.send_batch(batch.pk) == 1  # the Landes have school A only
    (message,) = smtp_server.messages
    expected = sorted([world.chef_a.email, world.adjoint_a.email, world.rupn_a.email])
    body = check(
        message,
        to=expected,
        subject=f"SCHÉMATIC {campaign.school_year} : autodiagnostic de {world.school_a.name}",
    )
    assert f"{SITE}{reverse('assessments:home', args=[world.school_a.uai, campaign.school_year])}" in body
    assert delivered_to(smtp_server) == expected


def test_the_invitation_of_a_member_and_its_reminder_carry_a_link_to_choose_a_password(world, smtp_server, on_commit):
    with on_commit():
        membership = accounts.invite_member(
            world.school_a,
            email="lea.nouvelle@example.org",
            role="membre",
            first_name="Léa",
            last_name="Nouvelle",
            by=world.chef_a,
        )
    with on_commit():
        later = timezone.now() + accounts.INVITATION_RESEND_INTERVAL + datetime.timedelta(minutes=1)
        accounts.resend_invitation(membership, by=world.chef_a, now=later)
    invitation, reminder = smtp_server.messages
    body = check(
        invitation,
        to=["lea.nouvelle@example.org"],
        subject=f"Pilotis : vous avez été ajouté(e) à {world.school_a.name}",
    )
    assert "Bonjour Léa Nouvelle," in body and "Membre de l'équipe" in body
    first_link = re.search(re.escape(SITE) + r"/compte/mot-de-passe/nouveau/\S+/\S+/", body)
    assert first_link
    body = check(
        reminder,
        to=["lea.nouvelle@example.org"],
        subject=f"Pilotis : rappel de votre invitation à {world.school_a.name}",
    )
    assert "vous rappelle votre invitation" in body
    assert re.search(re.escape(SITE) + r"/compte/mot-de-passe/nouveau/\S+/\S+/", body)
    unique_ids(smtp_server.messages)


def test_the_password_reset_sends_a_single_use_link(world, client, smtp_server):
    response = client.post(reverse("accounts:password_reset"), {"email": "MEMBER_A@example.org"})
    assert response.status_code == 302
    (message,) = smtp_server.messages
    body = check(message, to=["member_a@example.org"], subject="Pilotis : choisir un mot de passe")
    assert "Votre identifiant : member_a" in body
    assert re.search(r"https?://\S+/compte/mot-de-passe/nouveau/\S+/", body)


def test_an_unknown_address_asking_for_a_reset_receives_nothing(world, client, smtp_server):
    assert client.post(reverse("accounts:password_reset"), {"email": "personne@example.org"}).status_code == 302
    assert smtp_server.messages == []


def test_the_inactivity_notice_tells_the_person_before_anonymising(world, smtp_server):
    long_ago = timezone.now() - datetime.timedelta(days=4 * 365)
    User.objects.filter(pk=world.member_a.pk).update(last_login=long_ago, date_joined=long_ago)
    call_command("anonymise_inactive", stdout=io.StringIO())
    (message,) = smtp_server.messages
    body = check(message, to=[world.member_a.email], subject="Pilotis : votre compte inutilisé sera anonymisé")
    assert "sera anonymisé" in body and f"{SITE}{reverse('accounts:login')}" in body


@pytest.fixture
def draft(world, campaign):
    ensure_shipped_entries(CatalogueEntry)
    year = current_school_year()
    first, last = school_year_bounds(year)
    designation = missions.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=year,
        starts_on=first,
        ends_on=last,
        imp_amount=settings.IMP_RATES[0],
        by=world.chef_a,
    )
    letter = missions.start_letter(designation, by=world.chef_a)
    entries = list(CatalogueEntry.objects.filter(academy__isnull=True)[:2])
    return missions.update_letter(
        letter,
        fields={"means_time": "Une heure par semaine", "training": "Parcours M@gistère"},
        missions=[(entries[0], "principale"), (entries[1], "secondaire")],
        indicators=list(Indicator.objects.filter(version=campaign.referential, code__startswith="PIL")[:1]),
        seen_revision=letter.revision,
        by=world.chef_a,
    )


def test_the_mission_letter_emails_go_to_the_rupn_then_back_to_the_direction(world, draft, smtp_server, on_commit):
    with on_commit():
        letter = missions.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    with on_commit():
        letter = missions.send_back_letter(
            letter, by=world.rupn_a, comment="Préciser le temps.", seen_revision=letter.revision
        )
    with on_commit():
        letter = missions.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    with on_commit():
        missions.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    proposed, returned, again, accepted = smtp_server.messages
    letter_url = f"{SITE}{reverse('missions:letter', args=[world.school_a.uai, letter.pk])}"
    for message in (proposed, again):
        body = check(
            message, to=[world.rupn_a.email], subject="Pilotis : votre lettre de mission de RUPN vous est proposée"
        )
        assert letter_url in body
    body = check(
        returned, to=[world.chef_a.email], subject="Pilotis : la lettre de mission vous est renvoyée par le RUPN"
    )
    assert letter_url in body and "Préciser le temps." in body
    body = check(accepted, to=[world.chef_a.email], subject="Pilotis : la lettre de mission a été acceptée par le RUPN")
    assert letter_url in body
    unique_ids(smtp_server.messages)


def test_the_convocation_arrives_with_its_calendar_invitation(world, smtp_server, on_commit):
    start = datetime.date(2025, 9, 1)
    commission.add_member(world.school_a, by=world.chef_a, user=world.chef_a, group="direction", from_date=start)
    commission.add_member(
        world.school_a, by=world.chef_a, name="Mme Dupuy", email="dupuy@example.org", group="parents", from_date=start
    )
    meeting = commission.create_meeting(
        world.school_a,
        by=world.chef_a,
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="Salle du conseil",
    )
    with on_commit():
        commission.convene(meeting, by=world.rupn_a)
    (message,) = smtp_server.messages
    assert message.get_content_type() == "multipart/mixed"
    body = check(
        message,
        to=[world.chef_a.email, "dupuy@example.org"],
        subject=commission.convocation_text(meeting, sender_name="")[0],
        reply_to=world.rupn_a.email,
    )
    assert "Convocation : commission numérique du" in message["Subject"]
    assert "Salle du conseil" in body and f"/commission/reunions/{meeting.pk}/" in body
    (ics,) = list(message.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "REQUEST"
    assert ics.get_filename() == "convocation.ics"
    content = ics.get_content()
    calendar = vobject.readOne(content.decode() if isinstance(content, bytes) else content)
    assert calendar.vevent.location.value == "Salle du conseil"
    assert sorted(a.value for a in calendar.vevent.attendee_list) == sorted(
        [f"mailto:{world.chef_a.email}", "mailto:dupuy@example.org"]
    )


def test_the_fiche_curation_mail_tells_its_authors_why(world, smtp_server, on_commit):
    fiche = make_fiche(world.school_a, "Classe inversée en histoire", authors=[(world.rupn_a, True)], by=world.rupn_a)
    with on_commit():
        curation.take_down_fiche(fiche, reason="Des élèves sont reconnaissables.", by=world.dane)
    (message,) = smtp_server.messages
    body = check(
        message,
        to=[world.rupn_a.email],
        subject="Votre fiche « Classe inversée en histoire » est retirée du catalogue de l'académie",
        reply_to=world.dane.email,
    )
    assert "Des élèves sont reconnaissables." in body
    assert f"{SITE}{reverse('fiche_catalogue:fiche', args=[fiche.pk])}" in body


def test_the_assessment_ready_signal_reaches_the_direction(world, campaign, smtp_server, on_commit):
    indicator = Indicator.objects.filter(version=campaign.referential).order_by("code").first()
    assessments.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    with on_commit():
        assessments.signal_ready(Assessment.objects.get(school=world.school_a), by=world.rupn_a)
    (message,) = smtp_server.messages
    body = check(
        message,
        to=sorted([world.chef_a.email, world.adjoint_a.email]),
        subject=f"Pilotis : l’autodiagnostic SCHÉMATIC {campaign.school_year} est prêt à valider",
    )
    assert world.rupn_a.get_full_name() in body and SITE in body


def test_a_line_break_in_a_persons_name_never_becomes_a_header(world, campaign, smtp_server, on_commit):
    """The names of the sender and of the recipients (RUPN, direction, invited person) reach bodies
    and the calendar invitation, never a header: nothing arrives with a Bcc, and nobody but the
    addressees receives a copy."""
    User.objects.filter(pk__in=[world.chef_a.pk, world.rupn_a.pk]).update(first_name=INJECTED)
    world.chef_a.refresh_from_db()
    world.rupn_a.refresh_from_db()
    with on_commit():
        accounts.invite_member(
            world.school_a, email="lea.nouvelle@example.org", role="membre", first_name=INJECTED, by=world.chef_a
        )
    batch = steering.request_reminders(
        Territory.of(campaign, [world.landes]), target="not_validated", department=None, by=world.dane
    )
    steering.send_batch(batch.pk)
    commission.add_member(
        world.school_a, by=world.chef_a, user=world.chef_a, group="direction", from_date=datetime.date(2025, 9, 1)
    )
    meeting = commission.create_meeting(
        world.school_a, by=world.chef_a, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    with on_commit():
        commission.convene(meeting, by=world.rupn_a)
    assert len(smtp_server.messages) == 3
    for message in smtp_server.messages:
        assert message["Bcc"] is None
        assert all("evil" not in str(value) for value in message.values())
        for part in message.iter_attachments():
            content = part.get_content()
            text = content.decode() if isinstance(content, bytes) else content
            assert not any(line.startswith("Bcc") for line in text.splitlines())
    assert "eve@evil.example" not in delivered_to(smtp_server)
    unique_ids(smtp_server.messages)
