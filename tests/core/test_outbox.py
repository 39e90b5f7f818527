"""The outbox: what a real SMTP server receives, headers included; a failing server loses nothing
and a refused address does not stop the others."""

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from pilotis.core import outbox
from pilotis.core.models import Delivery, Mailing
from tests.smtp import free_port

pytestmark = pytest.mark.django_db

LETTER = outbox.Letter(
    subject="Flash'infos n° 3 — décembre",
    body="Bonjour,\nvoici les nouvelles.",
    html="<p>Bonjour,</p>",
    reply_to="rupn@college.example",
    headers={"List-Id": "Flash'infos <flash.0400003L.pilotis.invalid>"},
    attachments=(("flash.pdf", b"%PDF-1.7 test", "application/pdf"),),
)


def test_every_recipient_receives_the_letter_with_its_headers(smtp_server):
    mailing = outbox.post(kind="test", label="Essai", letter=LETTER, to=["a@x.example", "B@x.example", "b@x.example"])
    assert mailing.total == 2  # the same address twice, whatever its case, is written once

    assert outbox.send(mailing.pk) == 2

    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {"a@x.example", "B@x.example"}
    first = received["a@x.example"]
    assert first["Subject"] == LETTER.subject
    assert first["Reply-To"] == "rupn@college.example"
    assert first["List-Id"] == LETTER.headers["List-Id"]
    assert first["Message-ID"] == Delivery.objects.get(to="a@x.example").message_id
    attachment = next(first.iter_attachments())
    assert attachment.get_filename() == "flash.pdf" and attachment.get_content() == b"%PDF-1.7 test"
    state = outbox.progress(Mailing.objects.get(pk=mailing.pk))
    assert (state.sent, state.pending, state.finished) == (2, 0, True)


@pytest.mark.parametrize(
    "letter",
    [
        outbox.Letter(subject="Objet\r\nBcc: eve@evil.example", body="x"),
        outbox.Letter(subject="Objet", body="x", reply_to="a@x.example\nBcc: eve@evil.example"),
        outbox.Letter(subject="Objet", body="x", headers={"X-Test": "a\r\nBcc: eve@evil.example"}),
        outbox.Letter(subject="Objet", body="x", reply_to="pas une adresse"),
    ],
)
def test_a_header_injection_is_refused_and_nothing_is_recorded(letter):
    with pytest.raises(ValidationError):
        outbox.post(kind="test", label="Essai", letter=letter, to=["a@x.example"])
    assert not Mailing.objects.exists()


def test_a_malformed_address_is_named_and_nothing_is_recorded():
    with pytest.raises(ValidationError, match="pas@valide@x"):
        outbox.post(kind="test", label="Essai", letter=LETTER, to=["a@x.example", "pas@valide@x"])
    assert not Mailing.objects.exists() and not Delivery.objects.exists()


def test_a_server_that_cannot_be_reached_leaves_everything_unsent_and_schedules_a_new_try(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    mailing = outbox.post(kind="test", label="Essai", letter=LETTER, to=["a@x.example", "b@x.example"])

    assert outbox.send(mailing.pk) == 0

    mailing.refresh_from_db()
    assert mailing.attempts == 1 and mailing.last_error == "Le serveur de courriel est injoignable."
    assert mailing.retry_at is not None and not Delivery.objects.exclude(sent_at=None).exists()
    retry = DBTaskResult.objects.get(task_path="pilotis.core.tasks.send_mailing")
    assert retry.args_kwargs["args"] == [mailing.pk] and retry.run_after == mailing.retry_at


def test_a_server_that_refuses_for_now_stops_the_run_and_the_next_run_sends_the_rest(smtp_server):
    mailing = outbox.post(kind="test", label="Essai", letter=LETTER, to=["a@x.example", "b@x.example"])
    smtp_server.inbox.refuse_data = "451 4.3.0 Essayez plus tard"

    assert outbox.send(mailing.pk) == 0
    mailing.refresh_from_db()
    assert mailing.last_error == "Le serveur de courriel a répondu 451 4.3.0 Essayez plus tard"

    smtp_server.inbox.refuse_data = None
    assert outbox.send(mailing.pk) == 2
    assert sorted(m["To"] for m in smtp_server.messages) == ["a@x.example", "b@x.example"]
    assert outbox.send(mailing.pk) == 0  # finished: a late retry sends nothing again
    assert len(smtp_server.messages) == 2


def test_a_refused_address_is_marked_and_the_others_are_sent(smtp_server):
    smtp_server.inbox.refused_recipients.add("gone@x.example")
    mailing = outbox.post(
        kind="test", label="Essai", letter=LETTER, to=["a@x.example", "gone@x.example", "c@x.example"]
    )

    assert outbox.send(mailing.pk) == 2

    state = outbox.progress(mailing)
    assert (state.sent, state.refused, state.pending) == (2, 1, 0)
    assert Delivery.objects.get(to="gone@x.example").refused.startswith("Adresse refusée par le serveur : 550")


def test_after_the_last_automatic_try_the_author_resumes(settings, smtp_server, django_capture_on_commit_callbacks):
    mailing = outbox.post(kind="test", label="Essai", letter=LETTER, to=["a@x.example"])
    Mailing.objects.filter(pk=mailing.pk).update(attempts=len(outbox.BACKOFF), last_error="x", retry_at=None)
    mailing.refresh_from_db()
    assert outbox.progress(mailing).waiting_for_author

    with django_capture_on_commit_callbacks(execute=True):
        outbox.resume(mailing, by=None)

    mailing.refresh_from_db()
    assert mailing.attempts == 0
    assert DBTaskResult.objects.filter(task_path="pilotis.core.tasks.send_mailing").count() == 1
