"""The worker's part: `deliver` hands a request to its channel (« À renvoyer » with the reason on a
`ChannelFailure`, tried again after `BACKOFF`), `follow` reads a GLPI ticket's state until it is closed."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit, outbox
from pilotis.core.enums import AuditAction
from pilotis.support.channels import ChannelFailure, way_of
from pilotis.support.enums import ChannelWay, RequestState
from pilotis.support.models import SupportRequest
from pilotis.support.services.base import enqueue_follow, enqueue_send
from pilotis.support.services.requests import _event, _values, change_state

logger = logging.getLogger(__name__)

# The outbox's schedule of new tries: one minute to six hours, then the writer sends again by hand.
BACKOFF = outbox.BACKOFF


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
