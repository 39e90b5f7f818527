"""« Mes exports »: start a large export, follow it, download it. Mounted at `telechargements/`.

An export is its owner's alone (`BackgroundExport.objects.for_user`): anyone else, a DANE
included, gets a 404. What an export contains is decided by its builder, as its owner, in the
worker (`core.background_exports`)."""

import json

from django.core.files.storage import storages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from pilotis.core import background_exports
from pilotis.core.enums import ExportState
from pilotis.core.exporters import CONTENT_TYPES
from pilotis.core.guards import get_or_refuse, guarded, refuse
from pilotis.core.models import BackgroundExport

# How often the job page asks where the export stands (seconds).
POLL_SECONDS = 2
RECENT = 20
# Past this size (bytes) the file is streamed from the storage, never held whole.
STREAM_FROM_BYTES = 1024 * 1024


def is_signed_in(user) -> bool:
    """Anyone signed in has their own exports (what each contains is its builder's rule)."""
    return user.is_authenticated


def _mine(request, export_id):
    return get_or_refuse(request, BackgroundExport.objects.for_user(request.user), what="export", pk=export_id)


@require_POST
@guarded("export:start", is_signed_in)
def start(request):
    """The button of the offer page: the export is rebuilt as the user, who must still be allowed it."""
    raw = request.POST.get("params", "")
    try:
        params = json.loads(raw) if len(raw) <= background_exports.MAX_PARAMS_CHARS else None
    except ValueError:
        params = None
    source = request.POST.get("source_url", "")
    if not (source.startswith("/") and url_has_allowed_host_and_scheme(source, allowed_hosts=None)):
        source = ""
    try:
        job = background_exports.start(
            request.user,
            request.POST.get("kind", ""),
            params,
            request.POST.get("fmt", ""),
            source_url=source,
            request=request,
        )
    except background_exports.ExportUnavailable:
        refuse(request, what="export:start")
    return redirect("exports:job", export_id=job.pk)


@require_GET
@guarded("export:read", is_signed_in)
def index(request):
    exports = BackgroundExport.objects.for_user(request.user)[:RECENT]
    return render(request, "core/exports/index.html", {"exports": exports})


@require_GET
@guarded("export:read", is_signed_in)
def job(request, export_id):
    """Where the export stands; its block alone for the polling (htmx or `core/poll.js`)."""
    context = {"job": _mine(request, export_id), "poll_seconds": POLL_SECONDS}
    if getattr(request, "htmx", False):
        return render(request, "core/exports/_job.html", context)
    return render(request, "core/exports/job.html", context)


@require_GET
@guarded("export:read", is_signed_in)
def download(request, export_id):
    job = _mine(request, export_id)
    if job.state != ExportState.DONE or job.is_expired() or not job.file_name:
        # Said plainly, with the way to run it again; 404 all the same: there is no file.
        return render(request, "core/exports/gone.html", {"job": job}, status=404)
    storage = storages["exports"]
    filename = job.download_name or f"export.{job.format}"
    try:
        if (job.size or 0) <= STREAM_FROM_BYTES:
            # A small file is read at once and its handle closed at once.
            with storage.open(job.file_name, "rb") as handle:
                response = HttpResponse(handle.read(), content_type=CONTENT_TYPES[job.format])
            response["Content-Disposition"] = content_disposition_header(True, filename)
        else:
            response = FileResponse(
                storage.open(job.file_name, "rb"),
                as_attachment=True,
                filename=filename,
                content_type=CONTENT_TYPES[job.format],
            )
    except FileNotFoundError:  # the row outlived its file (purged by hand, a lost volume)
        return render(request, "core/exports/gone.html", {"job": job}, status=404)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
