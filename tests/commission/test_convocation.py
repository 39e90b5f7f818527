import vobject
from django.core import mail

from pilotis.commission import services
from pilotis.commission.invitation import uid
from pilotis.core.models import AuditEvent
from tests.commission.conftest import meeting_at


def _ics(message) -> vobject.base.Component:
    (attachment,) = message.attachments
    assert attachment.mimetype.startswith("text/calendar")
    content = attachment.content
    return vobject.readOne(content.decode() if isinstance(content, bytes) else content)


def test_the_convocation_goes_to_members_with_an_address(world, members, django_capture_on_commit_callbacks):
    meeting = meeting_at(world, 10, place="Salle du conseil")
    with django_capture_on_commit_callbacks(execute=True):
        sent, missing = services.convene(meeting, by=world.rupn_a)
    assert [m.name for m in missing] == ["Léo Martin"]
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([world.chef_a.email, "dupuy@example.org"])
    assert "Convocation : commission numérique" in message.subject
    assert "Suivi du plan" in message.body and "Salle du conseil" in message.body
    assert AuditEvent.objects.filter(action="meeting_convened").exists()


def test_the_invitation_reads_back(world, members, django_capture_on_commit_callbacks):
    meeting = meeting_at(world, 10, place="Salle du conseil")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.convene(meeting, by=world.rupn_a)
    first, second = (_ics(message) for message in mail.outbox)
    assert first.method.value == "REQUEST"
    event = second.vevent
    assert event.uid.value == first.vevent.uid.value == uid(meeting)
    assert (first.vevent.sequence.value, event.sequence.value) == ("1", "2")
    raw = mail.outbox[1].attachments[0].content
    raw = raw.decode() if isinstance(raw, bytes) else raw
    assert "DTSTART;TZID=Europe/Paris:" in raw and "DTEND;TZID=Europe/Paris:" in raw
    assert event.dtstart.value == meeting.starts_at.replace(microsecond=0)
    assert event.dtend.value > event.dtstart.value
    assert event.location.value == "Salle du conseil"
    assert event.url.value.endswith(f"/commission/reunions/{meeting.pk}/")
    assert event.organizer.value == f"mailto:{world.rupn_a.email}"
    attendees = sorted(a.value for a in event.attendee_list)
    assert attendees == sorted([f"mailto:{world.chef_a.email}", "mailto:dupuy@example.org"])
    assert second.vtimezone.tzid.value == "Europe/Paris"


def test_nothing_is_sent_before_the_commit_and_nothing_for_a_held_meeting(
    world, members, django_capture_on_commit_callbacks
):
    meeting = meeting_at(world, -1)
    services.record_minutes(meeting, by=world.chef_a, seen_revision=None, attendance={}, minutes="Fait", decisions=[])
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.convene(meeting, by=world.chef_a)
    except Exception as exc:  # noqa: BLE001
        assert "déjà eu lieu" in str(exc)
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.convocation_sequence == 0
