"""Shared plumbing of the view guards: every refusal is journaled, then answered."""

import re
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pilotis.core import audit
from pilotis.core.enums import AuditAction

# A guard is named `resource:action` after the ability the view needs (`assessment:validate`,
# `steering:remind`); the decorator carries the name (`view.guard`, and `view.guards` for guards
# stacked on one view) and the refusal, so that the permission matrix names each view's guard.
GUARD_NAME = re.compile(r"^[a-z_]+:[a-z_]+$")


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


def name_guard(wrapper, name: str):
    """Names the guard on the view it wraps (`wraps` has copied the inner guards' names)."""
    assert GUARD_NAME.match(name), f"a guard is named resource:action, not {name!r}"
    wrapper.guard = name
    wrapper.guards = (name, *getattr(wrapper, "guards", ()))
    return wrapper


def guarded(name: str, predicate, *, status=404, methods=None):
    """Guard `name` for pages that are not about one object: without the role, they do not exist
    (404). `status=403` and `methods` for an action on a page everyone reads (its POST, say)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (methods is None or request.method in methods) and not predicate(request.user):
                refuse(request, what=name, status=status)
            return view(request, *args, **kwargs)

        return name_guard(wrapper, name)

    return decorator


def get_or_refuse(request, queryset, *, what: str, **lookup):
    """The object, looked up within an already scoped queryset; otherwise a journaled 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        refuse(request, what=what)
    return obj
