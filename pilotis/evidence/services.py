"""The writes of the evidence: add a file, add a link, remove a piece. Each checks the author's
right and the target's state again, whatever the view did, and writes its audit row.

A file is written to the storage before its row, under a generated name; if the row cannot be
written (the quota reached meanwhile, any error), the file is deleted before the error goes on:
a refusal leaves neither a row nor a file."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.validators import first_forbidden_character
from pilotis.evidence import files
from pilotis.evidence.enums import PieceKind
from pilotis.evidence.models import Piece
from pilotis.evidence.perms import can_attach, frozen_reason, school_of
from pilotis.territories.models import School

URL_MAX_LENGTH = 1000


def storage():
    """The private storage of the evidence (`STORAGES["evidence"]`), read at each call so that a
    change of settings (tests, S3) takes effect."""
    return storages["evidence"]


def _label(user) -> str:
    return (user.get_full_name() or user.get_username())[:200]


def _check_author(target, obj, by) -> None:
    if not can_attach(by, target, obj):
        raise PermissionDenied
    reason = frozen_reason(target, obj)
    if reason:
        raise ValidationError(reason, code="frozen")


def _quota_refusal(school, size: int) -> files.Refused | None:
    used = Piece.objects.bytes_used(school)
    quota = settings.EVIDENCE_SCHOOL_QUOTA_BYTES
    if used + size > quota:
        return files.Refused(
            _(
                "L'établissement a atteint l'espace réservé à ses pièces justificatives (%(quota)s, dont %(used)s "
                "déjà utilisés) : ce fichier de %(size)s n'y tient pas. Retirez des pièces devenues inutiles."
            )
            % {"quota": files.megabytes(quota), "used": files.megabytes(used), "size": files.megabytes(size)},
            reason="quota",
        )
    return None


def record_refusal(refusal, *, target, obj, by, request=None, name=""):
    """Journals a refusal made before the services saw the file (the upload handler's size limit)."""
    _check_author(target, obj, by)
    return _refused(refusal, school=school_of(target, obj), target=target, obj=obj, by=by, request=request, name=name)


def _refused(refusal, *, school, target, obj, by, request, name):
    audit.record(
        AuditAction.EVIDENCE_REFUSED,
        actor=by,
        obj=school,
        after={"target": target, "target_id": obj.pk, "name": name[:150], "reason": refusal.reason},
        request=request,
    )
    return refusal


def add_file(target: str, obj, uploaded, *, by, request=None) -> Piece:
    """Checks the file (`files.check_upload`) and the school's quota, writes it under a generated
    name, then its row. Raises `files.Refused` (journaled), `ValidationError`, `PermissionDenied`."""
    _check_author(target, obj, by)
    school = school_of(target, obj)
    raw_name = files.clean_name(getattr(uploaded, "name", "")) or "?"
    try:
        checked = files.check_upload(uploaded)
    except files.Refused as refusal:
        raise _refused(refusal, school=school, target=target, obj=obj, by=by, request=request, name=raw_name) from None
    if refusal := _quota_refusal(school, checked.size):
        raise _refused(refusal, school=school, target=target, obj=obj, by=by, request=request, name=checked.name)
    extension = checked.file_type.extensions[0]
    uploaded.seek(0)
    stored = storage().save(f"{school.uai}/{uuid.uuid4().hex}.{extension}", uploaded)
    try:
        with transaction.atomic():
            # One upload at a time per school: the quota is counted under the school's lock.
            School.objects.select_for_update().filter(pk=school.pk).first()
            if refusal := _quota_refusal(school, checked.size):
                raise refusal
            piece = Piece.objects.create(
                school=school,
                **{target: obj},
                kind=PieceKind.FILE,
                name=checked.name,
                stored_name=stored,
                size=checked.size,
                file_type=checked.file_type.code,
                content_type=checked.file_type.content_type,
                sha256=checked.sha256,
                added_by=by,
                added_by_label=_label(by),
            )
            audit.record(
                AuditAction.EVIDENCE_ADDED,
                actor=by,
                obj=piece,
                after={
                    "target": target,
                    "target_id": obj.pk,
                    "name": piece.name,
                    "size": piece.size,
                    "type": piece.file_type,
                    "sha256": piece.sha256,
                },
                request=request,
            )
    except BaseException as error:
        storage().delete(stored)
        if isinstance(error, files.Refused):
            raise _refused(
                error, school=school, target=target, obj=obj, by=by, request=request, name=checked.name
            ) from None
        raise
    return piece


def clean_url(raw: str) -> str:
    """An http or https address, one line; anything else (`javascript:`, `data:`, `file:`…) is
    refused with a sentence."""
    url = (raw or "").strip()
    if not url:
        raise ValidationError(_("Indiquez l'adresse du lien."), code="required")
    if len(url) > URL_MAX_LENGTH or first_forbidden_character(url) >= 0:
        raise ValidationError(_("Cette adresse n'est pas valide."), code="invalid")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            _("Seuls les liens web (commençant par http:// ou https://) sont acceptés : « %(scheme)s » ne l'est pas.")
            % {"scheme": (parts.scheme or url.split(":", 1)[0])[:20]},
            code="scheme",
        )
    return url


def add_link(target: str, obj, *, url: str, title: str, by, request=None) -> Piece:
    """A link (http/https only) with a title (its address when none is given)."""
    _check_author(target, obj, by)
    url = clean_url(url)
    title = " ".join((title or "").split())[:150] or url[:150]
    if first_forbidden_character(title) >= 0:
        raise ValidationError(_("Le titre contient des caractères non autorisés."), code="forbidden_characters")
    school = school_of(target, obj)
    with transaction.atomic():
        piece = Piece.objects.create(
            school=school,
            **{target: obj},
            kind=PieceKind.LINK,
            name=title,
            url=url,
            added_by=by,
            added_by_label=_label(by),
        )
        audit.record(
            AuditAction.EVIDENCE_ADDED,
            actor=by,
            obj=piece,
            after={"target": target, "target_id": obj.pk, "name": piece.name, "url": url},
            request=request,
        )
    return piece


def remove_piece(piece: Piece, *, by, request=None) -> Piece:
    """Removes a piece: its file is deleted from the storage once the removal is committed (a
    removed piece is nobody's to read any more, and keeping it would keep what the school chose to
    withdraw); the row stays, with who removed it and when, for the history."""
    target = piece.target
    obj = getattr(piece, target)
    _check_author(target, obj, by)
    with transaction.atomic():
        locked = Piece.objects.select_for_update().filter(pk=piece.pk, removed_at__isnull=True).first()
        if locked is None:
            raise ValidationError(_("Cette pièce a déjà été retirée."), code="removed")
        locked.removed_at = timezone.now()
        locked.removed_by = by
        locked.removed_by_label = _label(by)
        locked.save(update_fields=["removed_at", "removed_by", "removed_by_label"])
        audit.record(
            AuditAction.EVIDENCE_REMOVED,
            actor=by,
            obj=locked,
            before={"target": target, "target_id": obj.pk, "name": locked.name, "sha256": locked.sha256},
            request=request,
        )
        if locked.stored_name:
            stored = locked.stored_name
            transaction.on_commit(lambda: storage().delete(stored))
    return locked
