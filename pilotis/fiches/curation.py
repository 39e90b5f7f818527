"""The DANE's curation of its académie's catalogue: « Mettre en avant » a fiche (shown first),
« Ne plus mettre en avant », and « Retirer du catalogue » with a reason told to its authors.

Each service checks `perms.can_curate_catalogue` again, locks the fiche, writes it, brings the
search index in step (`search.index_fiche`) and its audit row, in one transaction; the take-down
e-mail leaves on commit. Only a fiche in the catalogue can be curated: one taken back to draft, or
already taken down, is refused with a sentence saying so.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.validators import validate_multiline
from pilotis.fiches.models import Fiche, FicheAuthor
from pilotis.fiches.perms import can_curate_catalogue, in_catalogue
from pilotis.fiches.search import index_fiche

REASON_MAX = 2000


def _locked(fiche, by) -> Fiche:
    if not can_curate_catalogue(by, fiche.academy_id):
        raise PermissionDenied
    locked = Fiche.objects.select_for_update().select_related("school").get(pk=fiche.pk)
    if not in_catalogue(locked):
        raise ValidationError(_("Cette fiche n'est plus au catalogue de l'académie : rien n'a été changé."))
    return locked


@transaction.atomic
def feature_fiche(fiche, *, by, request=None) -> Fiche:
    """Puts the fiche forward: it comes first in the catalogue, before the others."""
    locked = _locked(fiche, by)
    if locked.featured_at is None:
        locked.featured_at = timezone.now()
        locked.save(update_fields=["featured_at"])
        index_fiche(locked)
        audit.record(AuditAction.FICHE_FEATURED, actor=by, obj=locked, after={"featured": True}, request=request)
    return locked


@transaction.atomic
def unfeature_fiche(fiche, *, by, request=None) -> Fiche:
    """Takes the fiche back among the others (the audit action of featuring, `featured: false`)."""
    locked = _locked(fiche, by)
    if locked.featured_at is not None:
        locked.featured_at = None
        locked.save(update_fields=["featured_at"])
        index_fiche(locked)
        audit.record(AuditAction.FICHE_FEATURED, actor=by, obj=locked, after={"featured": False}, request=request)
    return locked


def clean_reason(reason: str) -> str:
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du retrait : il est transmis aux auteurs de la fiche."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Le motif compte au plus %(max)d caractères.") % {"max": REASON_MAX})
    validate_multiline(reason)
    return reason


def take_down_recipients(fiche) -> list[str]:
    """The addresses of the fiche's authors (its creator if it names none), each once."""
    emails = list(
        FicheAuthor.objects.filter(fiche=fiche)
        .exclude(user__email="")
        .order_by("position", "pk")
        .values_list("user__email", flat=True)
    )
    if not emails and fiche.created_by_id and fiche.created_by.email:
        emails = [fiche.created_by.email]
    return list(dict.fromkeys(email.lower() for email in emails))


def take_down_text(fiche, reason: str) -> tuple[str, str]:
    """The e-mail's subject and body, as sent (the confirmation page shows them)."""
    context = {
        "fiche": fiche,
        "school": fiche.school,
        "reason": reason,
        # Its school's members still read it there (`can_read_fiche`).
        "url": settings.SITE_URL.rstrip("/") + reverse("fiche_catalogue:fiche", args=[fiche.pk]),
    }
    subject = _("Votre fiche « %(title)s » est retirée du catalogue de l'académie") % {"title": fiche.title[:80]}
    return subject, render_to_string("fiches/catalogue_take_down_email.txt", context)


@transaction.atomic
def take_down_fiche(fiche, *, reason: str, by, request=None) -> tuple[Fiche, list[str]]:
    """Takes the fiche out of the catalogue (it stays published for its school) and tells its
    authors why; returns the fiche and the addresses written to."""
    reason = clean_reason(reason)
    locked = _locked(fiche, by)
    locked.taken_down_at = timezone.now()
    locked.taken_down_reason = reason
    locked.taken_down_by = by
    locked.featured_at = None
    locked.save(update_fields=["taken_down_at", "taken_down_reason", "taken_down_by", "featured_at"])
    index_fiche(locked)
    recipients = take_down_recipients(locked)
    audit.record(
        AuditAction.FICHE_TAKEN_DOWN,
        actor=by,
        obj=locked,
        after={"reason": reason, "told": len(recipients)},
        request=request,
    )
    if recipients:
        subject, body = take_down_text(locked, reason)
        message = EmailMessage(subject=subject, body=body, to=recipients, reply_to=[by.email] if by.email else None)
        transaction.on_commit(lambda: message.send())
    return locked, recipients
