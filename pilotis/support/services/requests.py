"""A request's life at school: written, asked to be sent, marked done on a portal, its states, closed, deleted."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.evidence.services import storage
from pilotis.plans.models import Action
from pilotis.support import routing
from pilotis.support.channels import way_of
from pilotis.support.enums import ChannelWay, RequestCategory, RequestState, Urgency
from pilotis.support.models import SupportEvent, SupportRequest
from pilotis.support.perms import can_write_requests
from pilotis.support.services.base import STALE, StaleRequest, _text, enqueue_send, require

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
