"""The channels end to end: a GLPI (the fake one, speaking the real API) and an e-mail address
(a real SMTP server), their failures, and tokens that never leave the settings."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from pilotis.core.models import AuditEvent
from pilotis.support import services
from pilotis.support.enums import RequestState
from pilotis.support.models import SupportRequest
from tests.support.conftest import APP_TOKEN, USER_TOKEN, draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global commit
    commit = django_capture_on_commit_callbacks


def sent(request):
    """« Envoyer », then the worker's run (its own transaction: what it enqueues on commit is run)."""
    services.ask_to_send(request, by=request.requester)
    with commit(execute=True):
        services.deliver(request.pk)
    return SupportRequest.objects.get(pk=request.pk)


def no_token_anywhere(caplog, *texts):
    journal = " ".join(str(e.before) + str(e.after) + e.object_label for e in AuditEvent.objects.all())
    everything = " ".join([caplog.text, journal, *texts])
    assert APP_TOKEN not in everything and USER_TOKEN not in everything


def test_a_collège_network_request_becomes_a_glpi_ticket_and_its_state_comes_back(world, channels, glpi, caplog):
    request = draft(world)
    assert request.channel == channels["landes"]

    request = sent(request)

    assert request.state == RequestState.SENT and request.reference == "1"
    ticket = glpi.tickets[1]
    assert ticket["name"] == f"[{world.school_a.uai}] Le wifi de la salle B ne marche plus"
    assert "Salle B" in ticket["content"] and "Borne wifi du couloir" in ticket["content"]
    assert (ticket["type"], ticket["urgency"], ticket["itilcategories_id"]) == (1, 4, 12)
    assert not glpi.sessions and len(glpi.killed) == 1  # the session was killed
    follow = DBTaskResult.objects.get(task_path="pilotis.support.tasks.follow_request")
    assert follow.args_kwargs["args"] == [request.pk] and follow.run_after is not None

    assert services.follow(request.pk) == RequestState.SENT  # still new in GLPI
    glpi.set_status(1, 2)
    assert services.follow(request.pk) == RequestState.TAKEN
    glpi.set_status(1, 5)
    assert services.follow(request.pk) == RequestState.SOLVED
    glpi.set_status(1, 6)
    assert services.follow(request.pk) == RequestState.CLOSED
    states = list(SupportRequest.objects.get(pk=request.pk).events.values_list("state", flat=True))
    assert states == ["draft", "sent", "taken", "solved", "closed"]
    assert not glpi.sessions
    no_token_anywhere(caplog)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("error", "GLPI a répondu par une erreur 500 (ouverture de session)."),
        ("slow", "GLPI n'a pas répondu à temps (ouverture de session)."),
        ("not_json", "GLPI a répondu autre chose que du JSON (ouverture de session)."),
        ("too_large", "La réponse de GLPI est trop volumineuse (ouverture de session)."),
    ],
)
def test_a_glpi_that_misbehaves_leaves_the_request_to_send_again_with_the_reason(
    world, channels, glpi, caplog, mode, reason
):
    caplog.set_level(logging.DEBUG)
    request = draft(world)
    glpi.mode = mode

    request = sent(request)

    assert request.state == RequestState.RETRY and request.last_error == reason
    assert request.subject == "Le wifi de la salle B ne marche plus" and request.place == "Salle B"
    assert request.attempts == 1 and request.next_try_at is not None
    retry = DBTaskResult.objects.get(task_path="pilotis.support.tasks.send_request")
    assert retry.run_after == request.next_try_at
    assert AuditEvent.objects.filter(action="support_request_failed", object_id=str(request.pk)).exists()
    no_token_anywhere(caplog)

    glpi.mode = "ok"  # the worker's next try goes through
    assert services.deliver(request.pk) == RequestState.SENT


def test_a_glpi_that_refuses_the_tokens_says_so_without_them(world, channels, glpi, settings, caplog):
    settings.SUPPORT_GLPI = {"landes": {"URL": glpi.url, "APP_TOKEN": "wrong-app-token", "USER_TOKEN": USER_TOKEN}}
    request = sent(draft(world))
    assert request.state == RequestState.RETRY
    assert request.last_error == "GLPI a refusé la demande : réponse 400 (ouverture de session)."
    assert "wrong-app-token" not in caplog.text + request.last_error
    no_token_anywhere(caplog)


def test_a_failure_after_the_session_opened_still_kills_it(world, channels, glpi):
    request = draft(world)
    original = glpi.tickets
    glpi.tickets = None  # the POST breaks inside the server: a 500 after initSession
    try:
        request = sent(request)
    finally:
        glpi.tickets = original
    assert request.state == RequestState.RETRY
    assert len(glpi.killed) == 1 and not glpi.sessions


def test_unconfigured_credentials_refuse_sending_with_a_sentence(world, channels, settings):
    settings.SUPPORT_GLPI = {}
    request = draft(world)
    with pytest.raises(ValidationError, match="pas encore configuré"):
        services.ask_to_send(request, by=world.rupn_a)
    assert SupportRequest.objects.get(pk=request.pk).queued_at is None


def test_an_e_mail_request_reaches_the_address_with_its_subject_reply_to_and_message_id(world, channels, smtp_server):
    world.rupn_a.email = "rupn@college-alpha.example"
    world.rupn_a.save()
    request = draft(world, category="academic_apps", subject="Pronote ne s'ouvre plus")
    assert request.channel == channels["amerana"]

    request = sent(request)

    assert request.state == RequestState.SENT
    [message] = smtp_server.messages
    assert message["To"] == "assistance@ac-bordeaux.example"
    assert message["Subject"] == f"[Pilotis][{world.school_a.uai}] Applications académiques – Pronote ne s'ouvre plus"
    assert message["Reply-To"] == "rupn@college-alpha.example"
    assert message["Message-ID"] == request.message_id and request.message_id.startswith("<")
    assert "Salle B" in message.get_body().get_content()


def test_an_smtp_failure_keeps_the_message_id_for_the_next_try(world, channels, smtp_server):
    request = draft(world, category="academic_apps")
    smtp_server.inbox.refuse_data = "451 4.3.0 Try again later"
    request = sent(request)
    assert request.state == RequestState.RETRY and "451" in request.last_error
    smtp_server.inbox.refuse_data = None
    first_id = request.message_id
    with commit(execute=True):
        assert services.deliver(request.pk) == RequestState.SENT
    assert SupportRequest.objects.get(pk=request.pk).message_id == first_id == smtp_server.messages[-1]["Message-ID"]


def test_a_line_break_in_the_subject_is_refused_before_anything_is_written(world, channels):
    with pytest.raises(ValidationError, match="caractère interdit"):
        draft(world, category="academic_apps", subject="Aide\r\nBcc: tous@example.org")
    assert not SupportRequest.objects.exists()


def test_a_header_injection_that_reaches_the_channel_is_refused_not_sent(world, channels, smtp_server):
    request = draft(world, category="academic_apps")
    SupportRequest.objects.filter(pk=request.pk).update(subject="Aide\nBcc: tous@example.org")
    request = sent(SupportRequest.objects.get(pk=request.pk))
    assert request.state == RequestState.RETRY and "retour à la ligne" in request.last_error
    assert smtp_server.messages == []


def test_the_e_mail_carries_the_request_s_files(world, channels, smtp_server):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.conftest import PDF

    request = draft(world, category="academic_apps")
    services.attach(request, SimpleUploadedFile("capture.pdf", PDF), by=world.rupn_a)
    sent(request)
    [message] = smtp_server.messages
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "capture.pdf" and attachment.get_content() == PDF


def test_a_file_past_the_school_s_quota_is_refused_and_nothing_is_kept(world, channels, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pilotis.support.models import SupportAttachment
    from tests.support.conftest import PDF

    settings.EVIDENCE_SCHOOL_QUOTA_BYTES = len(PDF) + 10
    request = draft(world)
    services.attach(request, SimpleUploadedFile("un.pdf", PDF), by=world.rupn_a)
    with pytest.raises(ValidationError, match="espace réservé"):
        services.attach(request, SimpleUploadedFile("deux.pdf", PDF), by=world.rupn_a)
    assert list(SupportAttachment.objects.values_list("name", flat=True)) == ["un.pdf"]
