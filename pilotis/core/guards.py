"""Shared plumbing of the view guards: every refusal is journaled, then answered."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pilotis.core import audit
from pilotis.core.enums import AuditAction


def refuse(request, *, obj=None, what="", status=404):
    """Out of scope: 404 (the object does not exist for this user). In scope, not allowed: 403."""
    audit.record(
        AuditAction.ACCESS_DENIED,
        actor=request.user,
        obj=obj,
        after={"path": request.path[:200], "what": what},
        request=request,
    )
    if status == 403:
        raise PermissionDenied
    raise Http404


def guarded(name: str, predicate):
    """Guard `name` for pages that are not about one object: without the role, they do not exist."""

    def decorator(view):
        from functools import wraps

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                refuse(request, what=name)
            return view(request, *args, **kwargs)

        wrapper.guard = name
        return wrapper

    return decorator


def get_or_refuse(request, queryset, *, what: str, **lookup):
    """The object, looked up within an already scoped queryset; otherwise a journaled 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        refuse(request, what=what)
    return obj
