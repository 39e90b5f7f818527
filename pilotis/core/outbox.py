"""E-mail to many people, sent by the background worker.

A person's click records a `Mailing` (the text, once) and one `Delivery` per address, then the
worker (`core.tasks.send_mailing`) sends them in order. Each delivery is marked sent in the
transaction that sends it: a worker killed mid-way, or an SMTP server that fails, leaves the rest
unsent and marked as such, and the next run starts at the first unsent one. Nothing is sent twice
except in the one window no SMTP client can close (the server accepted the message, the process
died before the commit); the message then carries the same Message-ID, by which mail clients
recognise it.

When the server fails, the mailing keeps the reason and is tried again later (`BACKOFF`); after
the last try, it waits for its author's « Reprendre l'envoi » (`resume`).
"""

import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.models import Delivery, Mailing, MailingAttachment
from pilotis.core.validators import validate_one_line

# Seconds before the n-th new try after a failure; past the last, the author resumes by hand.
BACKOFF = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60)
CHUNK = 200


@dataclass(frozen=True)
class Letter:
    """What every recipient of a mailing receives."""

    subject: str
    body: str
    html: str = ""
    reply_to: str = ""
    headers: dict = field(default_factory=dict)
    attachments: tuple = ()  # (filename, content bytes, mimetype)


def check_letter(letter: Letter) -> None:
    """Raises ValidationError, in French, for anything a mail header may not carry: a line break
    in the subject, a header or the Reply-To (header injection), or a malformed Reply-To."""
    try:
        validate_one_line(letter.subject)
        for name, value in letter.headers.items():
            validate_one_line(str(name))
            validate_one_line(str(value))
        if letter.reply_to:
            validate_one_line(letter.reply_to)
    except ValidationError:
        raise ValidationError(
            _("Un en-tête du courriel contient un retour à la ligne ou un caractère interdit.")
        ) from None
    if not letter.subject.strip():
        raise ValidationError(_("Le courriel n'a pas d'objet."))
    if letter.reply_to:
        try:
            validate_email(letter.reply_to)
        except ValidationError:
            raise ValidationError(
                _("L'adresse de réponse « %(address)s » n'est pas valide.") % {"address": letter.reply_to}
            ) from None


def clean_addresses(addresses: Iterable[str]) -> list[str]:
    """The distinct valid addresses, in their first order (case-insensitive); a malformed one
    raises ValidationError naming it, so that nothing is recorded."""
    seen, out = set(), []
    for raw in addresses:
        address = (raw or "").strip()
        if not address:
            continue
        try:
            validate_one_line(address)
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("L'adresse « %(address)s » n'est pas valide.") % {"address": address[:100]}
            ) from None
        if address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def post(*, kind: str, label: str, letter: Letter, to: Iterable[str], by=None) -> Mailing:
    """Records the mailing and asks the worker to send it once the transaction commits. Raises
    ValidationError (nothing recorded) for a bad header, a bad address or no address at all."""
    check_letter(letter)
    addresses = clean_addresses(to)
    if not addresses:
        raise ValidationError(_("Aucun destinataire n'a d'adresse électronique."))
    domain = message_id_domain()
    with transaction.atomic():
        mailing = Mailing.objects.create(
            kind=kind,
            label=label[:300],
            subject=letter.subject[:300],
            body=letter.body,
            html=letter.html,
            reply_to=letter.reply_to,
            headers=dict(letter.headers),
            created_by=by if getattr(by, "pk", None) else None,
            total=len(addresses),
        )
        MailingAttachment.objects.bulk_create(
            MailingAttachment(mailing=mailing, filename=name, content=content, mimetype=mimetype)
            for name, content, mimetype in letter.attachments
        )
        Delivery.objects.bulk_create(
            (
                Delivery(mailing=mailing, to=address, message_id=f"<{uuid.uuid4().hex}@{domain}>")
                for address in addresses
            ),
            batch_size=2000,
        )
        transaction.on_commit(lambda: enqueue(mailing.pk))
    return mailing


def message_id_domain() -> str:
    """The right-hand side of our Message-IDs: the sender's domain, so that they are ours."""
    sender = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return sender.rsplit("@", 1)[-1] or "pilotis.invalid"


def enqueue(mailing_id: int, run_after=None) -> None:
    from pilotis.core.tasks import send_mailing

    task = send_mailing.using(run_after=run_after) if run_after else send_mailing
    task.enqueue(mailing_id)


def message(mailing: Mailing, delivery: Delivery, attachments=()) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=mailing.subject,
        body=mailing.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to],
        reply_to=[mailing.reply_to] if mailing.reply_to else None,
        headers={**mailing.headers, "Message-ID": delivery.message_id},
    )
    if mailing.html:
        email.attach_alternative(mailing.html, "text/html")
    for attachment in attachments:
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email


def send(mailing_id: int, *, chunk: int = CHUNK) -> int:
    """Sends what is left of the mailing; returns how many left now. An SMTP failure stops the run
    and schedules the next try; a recipient the server refuses is marked and skipped."""
    mailing = Mailing.objects.get(pk=mailing_id)
    if mailing.finished_at:
        return 0
    attachments = list(mailing.attachments.all())
    sent = 0
    try:
        with mailers.default as connection:
            while True:
                pending = list(
                    Delivery.objects.filter(mailing=mailing, sent_at=None, refused="")
                    .order_by("pk")
                    .values_list("pk", flat=True)[:chunk]
                )
                if not pending:
                    break
                for pk in pending:
                    with transaction.atomic():
                        # Another worker may hold it: it is theirs then.
                        delivery = (
                            Delivery.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at=None).first()
                        )
                        if delivery is None:
                            continue
                        try:
                            connection.send_messages([message(mailing, delivery, attachments)])
                        except smtplib.SMTPRecipientsRefused as error:
                            Delivery.objects.filter(pk=pk).update(refused=describe(error)[:300])
                            continue
                        Delivery.objects.filter(pk=pk).update(sent_at=timezone.now())
                        sent += 1
    except (smtplib.SMTPException, OSError) as error:
        failed(mailing, error)
        return sent
    Mailing.objects.filter(pk=mailing.pk).update(finished_at=timezone.now(), last_error="", retry_at=None)
    return sent


def failed(mailing: Mailing, error: Exception) -> None:
    attempts = mailing.attempts + 1
    retry_at = timezone.now() + timedelta(seconds=BACKOFF[attempts - 1]) if attempts <= len(BACKOFF) else None
    Mailing.objects.filter(pk=mailing.pk).update(attempts=attempts, last_error=describe(error)[:500], retry_at=retry_at)
    if retry_at:
        enqueue(mailing.pk, run_after=retry_at)


def describe(error: Exception) -> str:
    """The reason shown to the mailing's author: the server's own words when it gave some."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (0, b""))
        return _("Adresse refusée par le serveur : %(code)s %(text)s") % {"code": code, "text": _text(text)}
    if isinstance(error, smtplib.SMTPResponseException):
        return _("Le serveur de courriel a répondu %(code)s %(text)s") % {
            "code": error.smtp_code,
            "text": _text(error.smtp_error),
        }
    if isinstance(error, TimeoutError):
        return _("Le serveur de courriel n'a pas répondu à temps.")
    if isinstance(error, OSError | smtplib.SMTPServerDisconnected):
        return _("Le serveur de courriel est injoignable.")
    return _("Le serveur de courriel a refusé l'envoi.")


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@transaction.atomic
def resume(mailing: Mailing, *, by, request=None) -> None:
    """« Reprendre l'envoi »: after the last automatic try, its author asks for one more."""
    if mailing.finished_at:
        raise ValidationError(_("Cet envoi est terminé."))
    Mailing.objects.filter(pk=mailing.pk).update(attempts=0, retry_at=None)
    audit.record(AuditAction.MAILING_RESUMED, actor=by, obj=mailing, request=request)
    transaction.on_commit(lambda: enqueue(mailing.pk))


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    refused: int
    finished: bool
    error: str
    retry_at: object

    @property
    def pending(self) -> int:
        return self.total - self.sent - self.refused

    @property
    def waiting_for_author(self) -> bool:
        """The automatic tries are over: only « Reprendre l'envoi » sends the rest."""
        return not self.finished and bool(self.error) and self.retry_at is None


def progress(mailing: Mailing) -> Progress:
    deliveries = Delivery.objects.filter(mailing=mailing)
    return Progress(
        total=mailing.total,
        sent=deliveries.exclude(sent_at=None).count(),
        refused=deliveries.exclude(refused="").count(),
        finished=mailing.finished_at is not None,
        error=mailing.last_error,
        retry_at=mailing.retry_at,
    )
