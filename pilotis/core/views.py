import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from pilotis.core.middleware import database_busy_response, is_database_busy

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
def health(request):
    """For the load balancer: the process answers and the database too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})


def _error(request, template, status):
    # No context processors that touch the database: the error may be the database itself.
    return render(request, template, {"request_id": getattr(request, "request_id", "")}, status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error(request, "errors/400.html", 400)


@login_not_required
def permission_denied(request, exception=None):
    return _error(request, "errors/403.html", 403)


# Under /api/ every answer is JSON, Django's own 404 and 500 included (pilotis.api.errors says the
# same for DRF's errors; core imports no app, hence the prefix written here).
API_PREFIX = "/api/"


def _api_error(request, status, detail):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


@login_not_required
def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 404, "Introuvable.")
    return _error(request, "errors/404.html", 404)


@login_not_required
def server_error(request):
    # A locked database met outside a view (a middleware's write): 503 « réessayez », as
    # DatabaseBusyMiddleware answers for views.
    if is_database_busy(sys.exc_info()[1]):
        return database_busy_response(request)
    if request.path.startswith(API_PREFIX):
        return _api_error(request, 500, "Erreur interne du serveur : l’équipe de Pilotis est prévenue.")
    # Rendered without the request: no context processor, no database, no session.
    html = loader.get_template("errors/500.html").render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(html)


@login_not_required
def csrf_failure(request, reason=""):
    """A form posted from a page too old (or without its token): say so in French, keep nothing."""
    return _error(request, "errors/csrf.html", 403)
