"""Writing the audit record. Every service that changes something sensitive calls `record`."""

import ipaddress

from django.conf import settings

from pilotis.core.middleware import current_request_id
from pilotis.core.models import AuditEvent

# Values under these keys never reach the journal, whatever a caller passes.
SECRET_KEYS = {"password", "password1", "password2", "new_password1", "new_password2", "token", "secret"}


def _scrub(data):
    if isinstance(data, dict):
        return {k: ("***" if k.lower() in SECRET_KEYS else _scrub(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_scrub(v) for v in data]
    return data


def client_ip(request) -> str | None:
    """The client's address, for the journal and for the sign-in lockout (AXES_CLIENT_IP_CALLABLE).

    Directly exposed, REMOTE_ADDR. Behind PROXY_COUNT reverse proxies, REMOTE_ADDR is the nearest
    proxy: the client is the entry the outermost trusted proxy appended to X-Forwarded-For, counted
    from the right; whatever the client put further left is its own word and is ignored.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def record(action, *, actor=None, obj=None, before=None, after=None, request=None, label=None) -> AuditEvent:
    actor_ok = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEvent.objects.create(
        actor=actor if actor_ok else None,
        actor_label=(actor.get_username() if actor_ok else (label or ""))[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:300] if obj is not None else "",
        before=_scrub(before),
        after=_scrub(after),
        ip_address=client_ip(request),
        request_id=current_request_id(),
    )
