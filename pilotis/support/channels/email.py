"""A channel that is an e-mail address: one message, sent at once through the default mailer,
answered to the requester (Reply-To), with a Message-ID generated and kept on the request."""

import smtplib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.utils.translation import gettext as _

from pilotis.core import outbox
from pilotis.support.channels.base import ChannelFailure, Sent, Way
from pilotis.support.enums import ChannelWay


def subject_of(request) -> str:
    """« [Pilotis][0400003L] Réseau et wifi – Le wifi de la salle B ne marche plus »."""
    return f"[Pilotis][{request.school.uai}] {request.get_category_display()} – {request.subject}"


def body_of(request) -> str:
    from pilotis.support.documents import plain_text

    return plain_text(request)


class EmailWay(Way):
    code = ChannelWay.EMAIL

    def configured(self, channel) -> bool:
        return bool(channel.email)

    def send(self, request) -> Sent:
        requester = request.requester
        reply_to = requester.email if requester is not None and requester.email else ""
        letter = outbox.Letter(subject=subject_of(request), body=body_of(request), reply_to=reply_to)
        try:
            outbox.check_letter(letter)
        except ValidationError as error:
            raise ChannelFailure(" ".join(error.messages)) from None
        message_id = request.message_id or f"<{uuid.uuid4().hex}@{outbox.message_id_domain()}>"
        email = EmailMessage(
            subject=letter.subject,
            body=letter.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[request.channel.email],
            reply_to=[reply_to] if reply_to else None,
            headers={"Message-ID": message_id},
        )
        from pilotis.support.services import attachment_files

        for name, content, content_type in attachment_files(request):
            email.attach(name, content, content_type)
        try:
            with mailers.default as connection:
                connection.send_messages([email])
        except (smtplib.SMTPException, OSError) as error:
            raise ChannelFailure(outbox.describe(error)) from None
        except Exception:  # a file gone from the storage, an encoding problem: said, not leaked
            raise ChannelFailure(_("Le courriel n'a pas pu être préparé.")) from None
        return Sent(reference="", message_id=message_id)
