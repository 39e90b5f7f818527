"""The convocation's calendar invitation (.ics, iCalendar METHOD:REQUEST), built with vobject.

Its UID is the meeting's own, so that a calendar replaces the event it received before; its SEQUENCE
is the meeting's `convocation_sequence`, raised at each sending, so that the new time or place wins.
"""

import datetime
from zoneinfo import ZoneInfo

import vobject
from django.conf import settings
from django.utils.translation import gettext as _
from vobject.icalendar import utc

DEFAULT_LENGTH = datetime.timedelta(hours=2)


class ParisTime(ZoneInfo):
    """Europe/Paris under its own name in the file: vobject names a zoneinfo zone by its short name
    (« CET »), which calendars do not all map back to Paris."""

    tzid = "Europe/Paris"


PARIS = ParisTime("Europe/Paris")


def uid(meeting) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "pilotis"
    return f"commission-{meeting.pk}@{host}"


def _param(text: str) -> str:
    # A parameter value may not hold a double quote (RFC 5545); the name is only a label.
    return " ".join(str(text).replace('"', "'").split())


def invitation(meeting, *, organizer_name, organizer_email, attendees, summary, description, url) -> bytes:
    """`attendees`: (name, e-mail) pairs."""
    calendar = vobject.iCalendar()
    calendar.add("method").value = "REQUEST"
    calendar.add("prodid").value = "-//Pilotis//Commission numérique//FR"
    event = calendar.add("vevent")
    event.add("uid").value = uid(meeting)
    event.add("sequence").value = str(meeting.convocation_sequence)
    event.add("dtstamp").value = datetime.datetime.now(utc)
    starts = meeting.starts_at.astimezone(PARIS)
    event.add("dtstart").value = starts
    event.add("dtend").value = (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH).astimezone(PARIS)
    event.add("summary").value = summary
    event.add("description").value = description
    location = meeting.place or (meeting.visio_url and _("Visioconférence")) or ""
    if location:
        event.add("location").value = location
    if meeting.visio_url or url:
        event.add("url").value = meeting.visio_url or url
    event.add("status").value = "CONFIRMED"
    if organizer_email:
        organizer = event.add("organizer")
        organizer.value = f"mailto:{organizer_email}"
        organizer.params["CN"] = [_param(organizer_name)]
    for name, email in attendees:
        attendee = event.add("attendee")
        attendee.value = f"mailto:{email}"
        attendee.params["CN"] = [_param(name)]
        attendee.params["ROLE"] = ["REQ-PARTICIPANT"]
        attendee.params["PARTSTAT"] = ["NEEDS-ACTION"]
        attendee.params["RSVP"] = ["TRUE"]
    return calendar.serialize().encode()
