import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control

_request_id = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    value = _request_id.get()
    return "" if value == "-" else value


class RequestIdLogFilter(logging.Filter):
    """Puts the request id on every log line so an error page's reference finds its log."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a proxy of ours may name the request (so that its logs and ours share the id);
        # from anyone else, a client could collide with or forge log references.
        incoming = request.headers.get("X-Request-ID", "") if settings.TRUST_REQUEST_ID_HEADER else ""
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PrivateCacheMiddleware:
    """Pages may hold personal data: no shared or browser cache keeps them (SECURITY.md, « Private pages, clean URLs »)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


# SQLite: "database is locked" (another connection holds the write lock past the busy timeout),
# "database table is locked", "database is busy". PostgreSQL: lock_not_available (lock_timeout,
# NOWAIT) and deadlock_detected.
_BUSY_MESSAGE = re.compile(r"\b(?:locked|busy)\b", re.IGNORECASE)
_BUSY_SQLSTATES = {"55P03", "40P01"}
BUSY_RETRY_AFTER_SECONDS = 5


def is_database_busy(error: BaseException | None) -> bool:
    """Whether `error` says the database is held by another writer (worth a retry), not broken."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES or getattr(cause, "pgcode", None) in _BUSY_SQLSTATES:
        return True
    return bool(_BUSY_MESSAGE.search(str(error)))


def database_busy_response(request):
    """503 with Retry-After: a French page, or a small fragment for htmx (whose autosave retries).

    Rendered without context processors: no database, no session."""
    if request.htmx:
        html = loader.get_template("errors/503_fragment.html").render({})
    else:
        html = loader.get_template("errors/503.html").render({"request_id": getattr(request, "request_id", "")})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A view that met a locked database answers 503 « réessayez », never a 500: the write was
    rolled back with its transaction, and the same request may simply be sent again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        logging.getLogger("pilotis.database").warning(
            "Database busy on %s %s: %s", request.method, request.path, exception
        )
        return database_busy_response(request)
