"""A request's files: the evidence's file rules, and one quota with the evidence."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.evidence import files
from pilotis.evidence.models import Piece
from pilotis.evidence.services import storage
from pilotis.support.models import SupportAttachment
from pilotis.support.perms import can_write_requests
from pilotis.support.services.base import require
from pilotis.territories.models import School

MAX_ATTACHMENTS = 5


# --- Attachments ---------------------------------------------------------------------------


def bytes_used(school) -> int:
    """The school's files, its evidence's and its requests': one quota for both."""
    mine = SupportAttachment.objects.filter(request__school=school).aggregate(total=Sum("size"))["total"] or 0
    return mine + Piece.objects.bytes_used(school)


def _quota_problem(school, size) -> str:
    quota = settings.EVIDENCE_SCHOOL_QUOTA_BYTES
    used = bytes_used(school)
    if used + size > quota:
        return _(
            "L'établissement a atteint l'espace réservé à ses fichiers (%(quota)s, dont %(used)s utilisés) : ce "
            "fichier de %(size)s n'y tient pas."
        ) % {"quota": files.megabytes(quota), "used": files.megabytes(used), "size": files.megabytes(size)}
    return ""


def attach(request, uploaded, *, by, http_request=None) -> SupportAttachment:
    """Checks the file as evidence is checked, and the school's quota; raises `files.Refused` or
    ValidationError, with nothing stored."""
    school = request.school
    require(can_write_requests(by, school))
    if not request.editable:
        raise ValidationError(_("La demande a été reçue par l'assistance : on n'y joint plus de fichier."))
    if request.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("Une demande compte au plus %(n)d pièces jointes.") % {"n": MAX_ATTACHMENTS})
    checked = files.check_upload(uploaded)
    if problem := _quota_problem(school, checked.size):
        raise ValidationError(problem)
    uploaded.seek(0)
    stored = storage().save(f"{school.uai}/assistance/{uuid.uuid4().hex}.{checked.file_type.extensions[0]}", uploaded)
    try:
        with transaction.atomic():
            School.objects.select_for_update().filter(pk=school.pk).first()
            if problem := _quota_problem(school, checked.size):
                raise ValidationError(problem)
            attachment = SupportAttachment.objects.create(
                request=request,
                name=checked.name,
                stored_name=stored,
                size=checked.size,
                file_type=checked.file_type.code,
                content_type=checked.file_type.content_type,
                sha256=checked.sha256,
                added_by=by,
            )
            audit.record(
                AuditAction.SUPPORT_REQUEST_RECORDED,
                actor=by,
                obj=request,
                after={"attachment": attachment.name, "size": attachment.size, "sha256": attachment.sha256},
                request=http_request,
            )
    except BaseException:
        storage().delete(stored)
        raise
    return attachment


def remove_attachment(attachment, *, by, http_request=None):
    request = attachment.request
    require(can_write_requests(by, request.school))
    if not request.editable:
        raise ValidationError(_("La demande a été reçue par l'assistance : ses pièces jointes restent."))
    stored = attachment.stored_name
    with transaction.atomic():
        audit.record(
            AuditAction.SUPPORT_REQUEST_RECORDED,
            actor=by,
            obj=request,
            before={"attachment": attachment.name},
            request=http_request,
        )
        attachment.delete()
        transaction.on_commit(lambda: storage().delete(stored))


def attachment_files(request):
    """(name, bytes, content type) of the request's files, for an e-mail."""
    out = []
    for attachment in request.attachments.all():
        with storage().open(attachment.stored_name, "rb") as handle:
            out.append((attachment.name, handle.read(), attachment.content_type))
    return out
