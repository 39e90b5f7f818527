"""The convocation: who is convened, the e-mail with its calendar invitation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.commission.enums import MeetingState
from pilotis.commission.models import CommissionMember
from pilotis.commission.perms import can_run_commission
from pilotis.commission.services._common import (
    _lock,
    require,
)
from pilotis.commission.services.members import member_email
from pilotis.core import audit, formats
from pilotis.core.enums import AuditAction

# --- Convocation ------------------------------------------------------------------------------------


def convocation_members(meeting):
    """(with an address, without) among the members sitting on the meeting's day."""
    day = timezone.localtime(meeting.starts_at).date()
    members = list(
        CommissionMember.objects.filter(school_id=meeting.school_id)
        .active_on(day)
        .select_related("user")
        .order_by("name", "pk")
    )
    reachable = [m for m in members if member_email(m)]
    return reachable, [m for m in members if not member_email(m)]


def meeting_url(meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("commission:meeting", args=[meeting.school.uai, meeting.pk])


def convocation_text(meeting, *, sender_name) -> tuple[str, str]:
    """The e-mail's subject and body, as sent (the confirmation page shows them)."""
    items = list(meeting.items.all())
    context = {
        "meeting": meeting,
        "school": meeting.school,
        "items": items,
        "sender": sender_name,
        "link": meeting_url(meeting),
    }
    subject = _("Convocation : commission numérique du %(day)s — %(school)s") % {
        "day": formats.day(timezone.localtime(meeting.starts_at).date()),
        "school": meeting.school.name,
    }
    return subject, render_to_string("commission/emails/convocation.txt", context)


def convene(meeting, *, by) -> tuple[list, list]:
    """Sends the convocation, with its invitation (.ics), to the members who have an address; each
    sending raises the invitation's SEQUENCE. The e-mail goes once the transaction commits.
    Returns (members written to, members without an address)."""
    from pilotis.commission.invitation import invitation

    require(can_run_commission(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.state != MeetingState.PLANNED:
            raise ValidationError(_("La réunion a déjà eu lieu : sa convocation ne peut plus être envoyée."))
        reachable, unreachable = convocation_members(locked)
        if not reachable:
            raise ValidationError(
                _("Aucun membre de la commission n'a d'adresse électronique : personne ne peut être convoqué.")
            )
        locked.convocation_sequence += 1
        locked.convened_at = timezone.now()
        locked.save(update_fields=["convocation_sequence", "convened_at"])
        sender_name = str(by)
        subject, body = convocation_text(locked, sender_name=sender_name)
        ics = invitation(
            locked,
            organizer_name=sender_name,
            organizer_email=by.email,
            attendees=[(m.name, member_email(m)) for m in reachable],
            summary=_("Commission numérique — %(school)s") % {"school": locked.school.name},
            description=body,
            url=meeting_url(locked),
        )
        message = EmailMessage(
            subject=subject,
            body=body,
            to=[member_email(m) for m in reachable],
            reply_to=[by.email] if by.email else None,
        )
        message.attach("convocation.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        audit.record(
            AuditAction.MEETING_CONVENED,
            actor=by,
            obj=locked,
            after={
                "sent_to": len(reachable),
                "without_address": len(unreachable),
                "sequence": locked.convocation_sequence,
            },
        )
        transaction.on_commit(lambda: mailers.default.send_messages([message]))
    return reachable, unreachable
