"""Every error under /api/ is JSON of one shape: `{"detail": "…"}`, with `errors` (parameter or
field → list of messages) for bad input. DRF's own errors pass through `exception_handler`;
Django's 404 for an address that matches no route, and the 500, through core's handlers, which
answer JSON under /api/ too."""

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pilotis.core.middleware import BUSY_RETRY_AFTER_SECONDS, is_database_busy

INVALID = "Requête invalide."
BUSY = "La base de données est occupée, réessayez dans un instant."


def exception_handler(exc, context):
    if is_database_busy(exc):
        # What DatabaseBusyMiddleware says to the pages, in JSON (a read is never half done).
        return Response({"detail": BUSY}, status=503, headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a 500: core's handler answers it
    data = response.data
    if isinstance(exc, exceptions.ValidationError) or not (isinstance(data, dict) and set(data) == {"detail"}):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": INVALID, "errors": errors}
    return response
