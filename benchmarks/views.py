"""The bare view of the autosave load test: the floor under the autosave.

It goes through the same middleware (session, CSRF, sign-in, current school) as every page of
Pilotis, then does one upsert of one row in a transaction and answers a few bytes: what any
autosave costs before it does anything of its own.
"""

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.http import require_POST

from benchmarks.models import BareRow

SLOTS = 81  # as many rows per user as SCHÉMATIC has indicators


@require_POST
def bare_upsert(request):
    try:
        slot = int(request.POST.get("slot", "")) % SLOTS
    except ValueError:
        return HttpResponseBadRequest("slot")
    value = request.POST.get("value", "")[:20]
    with transaction.atomic():
        BareRow.objects.bulk_create(
            [BareRow(user_id=request.user.pk, slot=slot, value=value, updated_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["user_id", "slot"],
            update_fields=["value", "updated_at"],
        )
    return HttpResponse("ok", content_type="text/plain")
