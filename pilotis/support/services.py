"""Every write of the demandes d'assistance, each in a transaction with its audit row. Each
service checks its author itself (`PermissionDenied`) and refuses bad input with a French
`ValidationError` before writing anything.

Sending is the worker's (`tasks.send_request`): « Envoyer » marks the request queued; `deliver`
hands it to its channel, and on a `ChannelFailure` the request becomes « À renvoyer » with the
reason, tried again after `BACKOFF`; nothing the school wrote is touched. A GLPI ticket is then
followed (`tasks.follow_request`) until it is closed."""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.validators import first_forbidden_character
from pilotis.evidence import files
from pilotis.evidence.models import Piece
from pilotis.evidence.services import storage
from pilotis.plans.models import Action
from pilotis.support import routing
from pilotis.support.channels import ChannelFailure, way_of
from pilotis.support.enums import ChannelWay, RequestCategory, RequestState, Urgency
from pilotis.support.models import Channel, Route, SupportAttachment, SupportEvent, SupportRequest
from pilotis.support.perms import can_write_requests, manages_academy_routing
from pilotis.territories.enums import SchoolKind
from pilotis.territories.models import School

logger = logging.getLogger(__name__)

# Seconds before the n-th new try after a failure; past the last, the writer sends again by hand.
BACKOFF = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60)
MAX_ATTACHMENTS = 5


class StaleRequest(ValidationError):
    """The request changed since the page was loaded: nothing was written."""


STALE = _(
    "La demande a été modifiée depuis l'affichage de cette page : rien n'a été enregistré. Vos saisies sont "
    "ci-dessous ; rechargez la page pour voir la version actuelle, puis reprenez-les."
)


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _text(value, label, max_length, *, required=False, multiline=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Indiquez %(what)s.") % {"what": label})
    if len(value) > max_length:
        raise ValidationError(_("%(what)s dépasse %(n)d caractères.") % {"what": label.capitalize(), "n": max_length})
    if first_forbidden_character(value, multiline=multiline) >= 0:
        raise ValidationError(_("%(what)s contient un caractère interdit.") % {"what": label.capitalize()})
    return value


# --- Requests ------------------------------------------------------------------------------


@dataclass
class RequestInput:
    subject: str
    description: str
    category: str
    urgency: str = Urgency.NORMAL
    place: str = ""
    equipment: str = ""
    action_id: int | None = None
    indicator_code: str = ""


def _clean(school, data: RequestInput) -> dict:
    if data.category not in RequestCategory.values:
        raise ValidationError(_("Choisissez une catégorie de la liste."))
    if data.urgency not in Urgency.values:
        raise ValidationError(_("Choisissez une urgence de la liste."))
    action = None
    if data.action_id:
        action = Action.objects.filter(pk=data.action_id, school=school).first()
        if action is None:
            raise ValidationError(_("Cette action n'est pas une action du plan de l'établissement."))
    code = _text(data.indicator_code, _("l'indicateur"), 20).upper()
    return {
        "subject": _text(data.subject, _("l'objet"), 150, required=True),
        "description": _text(data.description, _("la description"), 5000, required=True, multiline=True),
        "category": data.category,
        "urgency": data.urgency,
        "place": _text(data.place, _("le lieu"), 200),
        "equipment": _text(data.equipment, _("l'équipement concerné"), 200),
        "action": action,
        "indicator_code": code,
    }


def _values(request) -> dict:
    return {
        "subject": request.subject,
        "category": request.category,
        "urgency": request.urgency,
        "state": request.state,
        "channel": request.channel.name if request.channel_id else "",
        "reference": request.reference,
    }


def _event(request, state, *, reason="", by=None):
    SupportEvent.objects.create(
        request=request, state=state, reason=reason[:500], by=by if getattr(by, "pk", None) else None
    )


def record_request(school, data: RequestInput, *, by, request=None, seen_revision=None, http_request=None):
    """Writes a draft (`request` None) or changes one not yet received by its channel. The channel
    is proposed again from the routing table each time."""
    require(can_write_requests(by, school))
    if request is not None and request.school_id != school.pk:
        raise PermissionDenied
    values = _clean(school, data)
    values["channel"] = routing.propose(school, values["category"])
    with transaction.atomic():
        if request is None:
            request = SupportRequest.objects.create(school=school, requester=by, **values)
            _event(request, RequestState.DRAFT, by=by)
            before = None
        else:
            request = SupportRequest.objects.select_for_update().get(pk=request.pk)
            if seen_revision is not None and seen_revision != request.revision:
                raise StaleRequest(STALE)
            if not request.editable:
                raise ValidationError(_("La demande a été reçue par l'assistance : elle ne se modifie plus."))
            before = _values(request)
            for name, value in values.items():
                setattr(request, name, value)
            request.revision += 1
            request.updated_at = timezone.now()
            request.save()
        audit.record(
            AuditAction.SUPPORT_REQUEST_RECORDED,
            actor=by,
            obj=request,
            before=before,
            after=_values(request),
            request=http_request,
        )
    return request


def sending_problem(request) -> str:
    """Why the request cannot be sent now, in French, or ''."""
    if not request.editable:
        return _("La demande a déjà été reçue par l'assistance.")
    if request.queued_at and request.state == RequestState.DRAFT:
        # « À renvoyer » waiting for its next try may be sent again now.
        return _("L'envoi est déjà demandé : il part dans un instant.")
    channel = request.channel
    if channel is None:
        return _(
            "Aucun canal d'assistance n'est prévu pour cette catégorie dans votre académie : le DANE fixe le "
            "routage des demandes."
        )
    way = way_of(channel)
    if not way.configured(channel):
        return _("Le canal « %(name)s » n'est pas encore configuré : prévenez le DANE.") % {"name": channel.name}
    return ""


def ask_to_send(request, *, by, http_request=None):
    """« Envoyer »: the worker sends it once this commits. A link's request is not sent (the
    writer says it was made on the portal: `mark_done_on_portal`)."""
    require(can_write_requests(by, request.school))
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update(of=("self",)).select_related("channel").get(pk=request.pk)
        if problem := sending_problem(locked):
            raise ValidationError(problem)
        if not way_of(locked.channel).sends:
            raise ValidationError(_("Cette demande se fait sur le portail de l'assistance, pas depuis Pilotis."))
        SupportRequest.objects.filter(pk=locked.pk).update(queued_at=timezone.now(), attempts=0, next_try_at=None)
        pk = locked.pk
        transaction.on_commit(lambda: enqueue_send(pk))
    return locked


def mark_done_on_portal(request, *, by, reference="", http_request=None):
    """« Faite sur le portail »: the request of a link channel was made there by the writer."""
    require(can_write_requests(by, request.school))
    reference = _text(reference, _("la référence"), 100)
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update(of=("self",)).select_related("channel").get(pk=request.pk)
        if not locked.editable or locked.channel is None or locked.channel.way != ChannelWay.LINK:
            raise ValidationError(_("Cette demande ne se fait pas sur un portail."))
        before = _values(locked)
        locked.state = RequestState.SENT
        locked.reference = reference
        locked.sent_at = timezone.now()
        locked.last_error = ""
        locked.save()
        _event(locked, RequestState.SENT, reason=_("Faite sur le portail"), by=by)
        audit.record(
            AuditAction.SUPPORT_REQUEST_SENT,
            actor=by,
            obj=locked,
            before=before,
            after=_values(locked),
            request=http_request,
        )
    return locked


def enqueue_send(request_id: int, run_after=None) -> None:
    from pilotis.support.tasks import send_request

    task = send_request.using(run_after=run_after) if run_after else send_request
    task.enqueue(request_id)


def enqueue_follow(request_id: int, run_after=None) -> None:
    from pilotis.support.tasks import follow_request

    task = follow_request.using(run_after=run_after) if run_after else follow_request
    task.enqueue(request_id)


def follow_delay() -> timedelta:
    return timedelta(seconds=getattr(settings, "SUPPORT_FOLLOW_SECONDS", 15 * 60))


def deliver(request_id: int) -> str:
    """The worker's part of « Envoyer »: hands the request to its channel. Returns the new state."""
    with transaction.atomic():
        request = (
            SupportRequest.objects.select_for_update(of=("self",))
            .select_related("school__department", "channel", "requester", "action")
            .filter(pk=request_id)
            .first()
        )
        if request is None or not request.editable or request.channel is None:
            return request.state if request else ""
        if request.message_id == "" and request.channel.way == ChannelWay.EMAIL:
            # Kept before sending, so that a second try carries the same Message-ID.
            from pilotis.core.outbox import message_id_domain

            request.message_id = f"<{uuid.uuid4().hex}@{message_id_domain()}>"
            SupportRequest.objects.filter(pk=request.pk).update(message_id=request.message_id)
    try:
        sent = way_of(request.channel).send(request)
    except ChannelFailure as failure:
        return _failed(request, failure.reason)
    with transaction.atomic():
        before = _values(request)
        request.state = RequestState.SENT
        request.reference = sent.reference[:100]
        request.message_id = sent.message_id[:300] or request.message_id
        request.sent_at = timezone.now()
        request.attempts += 1
        # Only the sending's own columns: the content is what the channel received.
        SupportRequest.objects.filter(pk=request.pk).update(
            state=request.state,
            reference=request.reference,
            message_id=request.message_id,
            sent_at=request.sent_at,
            queued_at=None,
            last_error="",
            next_try_at=None,
            attempts=request.attempts,
        )
        _event(
            request,
            RequestState.SENT,
            reason=_("Référence %(ref)s") % {"ref": sent.reference} if sent.reference else "",
        )
        audit.record(
            AuditAction.SUPPORT_REQUEST_SENT,
            actor=None,
            label="worker",
            obj=request,
            before=before,
            after=_values(request),
        )
        if way_of(request.channel).follows:
            pk = request.pk
            transaction.on_commit(lambda: enqueue_follow(pk, run_after=timezone.now() + follow_delay()))
    return request.state


def _failed(request, reason: str) -> str:
    attempts = request.attempts + 1
    retry_at = timezone.now() + timedelta(seconds=BACKOFF[attempts - 1]) if attempts <= len(BACKOFF) else None
    logger.warning("Support request %s not sent (try %s): %s", request.pk, attempts, reason)
    with transaction.atomic():
        before = _values(request)
        SupportRequest.objects.filter(pk=request.pk).update(
            state=RequestState.RETRY,
            attempts=attempts,
            last_error=reason[:500],
            next_try_at=retry_at,
            queued_at=retry_at,
        )
        _event(request, RequestState.RETRY, reason=reason)
        audit.record(
            AuditAction.SUPPORT_REQUEST_FAILED,
            label="worker",
            obj=request,
            before=before,
            after={**before, "state": RequestState.RETRY, "reason": reason[:500], "attempts": attempts},
        )
        if retry_at:
            pk = request.pk
            transaction.on_commit(lambda: enqueue_send(pk, run_after=retry_at))
    return RequestState.RETRY


def follow(request_id: int) -> str:
    """The worker asks the channel where the request stands; follows it again later while open."""
    request = SupportRequest.objects.select_related("school", "channel").filter(pk=request_id).first()
    if request is None or request.state not in RequestState.open() or request.channel is None:
        return request.state if request else ""
    try:
        new_state = way_of(request.channel).follow(request)
    except ChannelFailure as failure:
        logger.warning("Support request %s not followed: %s", request.pk, failure.reason)
        new_state = None
    if new_state:
        change_state(request, new_state, reason=_("État donné par %(name)s") % {"name": request.channel.name})
        request.state = new_state
    if request.state != RequestState.CLOSED and way_of(request.channel).follows:
        enqueue_follow(request.pk, run_after=timezone.now() + follow_delay())
    return request.state


def change_state(request, state: str, *, reason="", by=None, http_request=None):
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state == state:
            return locked
        before = _values(locked)
        locked.state = state
        locked.save(update_fields=["state"])
        _event(locked, state, reason=reason, by=by)
        audit.record(
            AuditAction.SUPPORT_REQUEST_STATE_CHANGED,
            actor=by,
            label="worker",
            obj=locked,
            before=before,
            after=_values(locked),
            request=http_request,
        )
    return locked


def close_request(request, *, by, http_request=None):
    """« Clore la demande »: the school says the problem is settled; it is no longer followed."""
    require(can_write_requests(by, request.school))
    if request.state not in RequestState.open():
        raise ValidationError(_("Seule une demande reçue par l'assistance, et pas encore fermée, se clôt."))
    return change_state(
        request, RequestState.CLOSED, reason=_("Close par l'établissement"), by=by, http_request=http_request
    )


def delete_draft(request, *, by, http_request=None):
    require(can_write_requests(by, request.school))
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != RequestState.DRAFT or locked.queued_at:
            raise ValidationError(_("Seul un brouillon qui n'est pas en cours d'envoi se supprime."))
        stored = list(locked.attachments.values_list("stored_name", flat=True))
        audit.record(
            AuditAction.SUPPORT_REQUEST_DELETED, actor=by, obj=locked, before=_values(locked), request=http_request
        )
        locked.delete()
        transaction.on_commit(lambda: [storage().delete(name) for name in stored])


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


# --- Channels and routing (the DANE's) -----------------------------------------------------


@dataclass
class ChannelInput:
    name: str
    way: str
    email: str = ""
    glpi_url: str = ""
    glpi_credentials: str = ""
    portal_url: str = ""
    glpi_categories: dict | None = None


def _clean_channel(academy, data: ChannelInput, channel=None) -> dict:
    from django.core.validators import URLValidator, validate_email

    name = _text(data.name, _("le nom"), 120, required=True)
    if data.way not in ChannelWay.values:
        raise ValidationError(_("Choisissez une voie : courriel, GLPI ou lien."))
    same = Channel.objects.filter(academy=academy, name__iexact=name)
    if channel is not None:
        same = same.exclude(pk=channel.pk)
    if same.exists():
        raise ValidationError(_("L'académie a déjà un canal nommé « %(name)s ».") % {"name": name})
    values = {"name": name, "way": data.way, "email": "", "glpi_url": "", "glpi_credentials": "", "portal_url": ""}
    values["glpi_categories"] = {}
    if data.way == ChannelWay.EMAIL:
        email = (data.email or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Indiquez l'adresse électronique de l'assistance.")) from None
        values["email"] = email
    elif data.way == ChannelWay.GLPI:
        url = (data.glpi_url or "").strip()
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                raise ValidationError(_("L'adresse de l'API GLPI n'est pas une adresse web.")) from None
        credentials = (data.glpi_credentials or "").strip()
        if not credentials or not credentials.replace("_", "").replace("-", "").isalnum() or len(credentials) > 40:
            raise ValidationError(
                _(
                    "Indiquez le nom des identifiants GLPI (lettres, chiffres, « - » ou « _ ») tel que l'hébergeur l'a configuré."
                )
            )
        values["glpi_url"] = url
        values["glpi_credentials"] = credentials.lower()
        categories = {}
        for code, value in (data.glpi_categories or {}).items():
            if code in RequestCategory.values and value not in (None, ""):
                if not isinstance(value, int) or value <= 0:
                    raise ValidationError(_("Un numéro de catégorie GLPI est un nombre entier positif."))
                categories[code] = value
        values["glpi_categories"] = categories
    else:
        url = (data.portal_url or "").strip()
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError:
            raise ValidationError(_("Indiquez l'adresse du portail de l'assistance.")) from None
        values["portal_url"] = url
    return values


def _channel_values(channel) -> dict:
    # The credentials' name only: the tokens are never read here.
    return {
        "name": channel.name,
        "way": channel.way,
        "email": channel.email,
        "glpi_url": channel.glpi_url,
        "glpi_credentials": channel.glpi_credentials,
        "portal_url": channel.portal_url,
    }


def save_channel(academy, data: ChannelInput, *, by, channel=None, http_request=None) -> Channel:
    require(manages_academy_routing(by, academy))
    if channel is not None and channel.academy_id != academy.pk:
        raise PermissionDenied
    values = _clean_channel(academy, data, channel)
    with transaction.atomic():
        if channel is None:
            channel = Channel.objects.create(academy=academy, **values)
            before = None
        else:
            channel = Channel.objects.select_for_update().get(pk=channel.pk)
            before = _channel_values(channel)
            for name, value in values.items():
                setattr(channel, name, value)
            channel.revision += 1
            channel.save()
        audit.record(
            AuditAction.SUPPORT_ROUTING_CHANGED,
            actor=by,
            obj=channel,
            before=before,
            after=_channel_values(channel),
            request=http_request,
        )
    return channel


def _route_values(route) -> dict:
    return {
        "department": route.department.code if route.department_id else "",
        "school_kind": route.school_kind,
        "category": route.category,
        "channel": route.channel.name,
    }


def set_route(academy, *, category, channel, by, department=None, school_kind="", http_request=None) -> Route:
    """Sets the row (département or all) × (type or all) × category of the académie's table."""
    require(manages_academy_routing(by, academy))
    if category not in RequestCategory.values:
        raise ValidationError(_("Choisissez une catégorie de la liste."))
    if school_kind and school_kind not in SchoolKind.values:
        raise ValidationError(_("Choisissez un type d'établissement de la liste."))
    if department is not None and department.academy_id != academy.pk:
        raise ValidationError(
            _("Le département %(dept)s n'est pas dans l'académie de %(academy)s.")
            % {"dept": department.name, "academy": academy.name}
        )
    if channel is None:
        raise ValidationError(_("Choisissez un canal."))
    if channel.academy_id != academy.pk:
        raise ValidationError(
            _(
                "Le canal « %(channel)s » appartient à une autre académie (%(other)s) : les demandes de l'académie "
                "de %(academy)s ne peuvent être routées que vers ses propres canaux."
            )
            % {"channel": channel.name, "other": channel.academy.name, "academy": academy.name}
        )
    with transaction.atomic():
        route = (
            Route.objects.select_for_update(of=("self",))
            .filter(academy=academy, department=department, school_kind=school_kind, category=category)
            .order_by("pk")  # not the model's ordering, which joins the (nullable) département
            .first()
        )
        before = _route_values(route) if route else None
        if route is None:
            route = Route.objects.create(
                academy=academy, department=department, school_kind=school_kind, category=category, channel=channel
            )
        else:
            route.channel = channel
            route.save(update_fields=["channel"])
        audit.record(
            AuditAction.SUPPORT_ROUTING_CHANGED,
            actor=by,
            obj=route,
            before=before,
            after=_route_values(route),
            request=http_request,
        )
    return route


def delete_route(route, *, by, http_request=None):
    require(manages_academy_routing(by, route.academy))
    with transaction.atomic():
        audit.record(
            AuditAction.SUPPORT_ROUTING_CHANGED, actor=by, obj=route, before=_route_values(route), request=http_request
        )
        route.delete()
