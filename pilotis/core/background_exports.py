"""Long exports, prepared by the worker (« Mes exports »).

An app registers each export that can grow past a few thousand rows: `register(kind, builder)`,
where `builder(user, params)` rebuilds the `Exporter` *as that user* — their scope of the moment,
read from the user, never from `params`, which only say which export and which filters — or
raises `ExportUnavailable` with a French reason. Its view asks `should_run_in_background(exporter)`
(a cheap row count against EXPORT_BACKGROUND_ROWS): a small export is answered at once, as
before; a large one gets `offer` (a page saying how many rows, with a POST button: a GET never
creates a job), whose form posts to `exports:start`, which calls `start`.

`start` writes a `BackgroundExport` row (audited: EXPORT_STARTED) and enqueues
`core.tasks.run_background_export` on commit; `run` rebuilds the exporter in the worker, writes
CSV or ODS into a temporary file as the rows come (memory stays flat), counts the rows as it goes,
then stores the file in the private storage `exports`. Only its owner downloads it, until
`expires_at`; `purge_expired` (the command `purge_exports`, and the start of every run) deletes
the files past it, and the rows a week later (until then the download says « expiré »).
"""

import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.core import audit
from pilotis.core.enums import AuditAction, ExportState
from pilotis.core.exporters import Exporter, attachment_response
from pilotis.core.models import BackgroundExport
from pilotis.core.personal_data import anonymiser, section, when

logger = logging.getLogger(__name__)

FORMATS = ("csv", "ods")
# Progress is written every this many rows: one UPDATE, not one per row.
PROGRESS_EVERY = 2000
# The `params` a form may post (a few filters): past this, a crafted request, refused unread.
MAX_PARAMS_CHARS = 4000


class ExportUnavailable(Exception):  # noqa: N818 — a refusal to say, not a bug
    """The export cannot be rebuilt for this user (out of their scope now, a bad parameter): the
    message, in French, is what the job page shows."""


@dataclass(frozen=True)
class Kind:
    builder: Callable[[object, dict], Exporter]


_REGISTRY: dict[str, Kind] = {}


def register(kind: str, builder: Callable[[object, dict], Exporter]) -> None:
    """`builder(user, params)` gives the exporter of this kind for that user, or raises
    `ExportUnavailable`. Called from the app's `AppConfig.ready`, so the worker knows it too."""
    _REGISTRY[kind] = Kind(builder)


def build(user, kind: str, params) -> Exporter:
    """The exporter, rebuilt as `user`; `ExportUnavailable` for anything else."""
    if kind not in _REGISTRY or not isinstance(params, dict):
        raise ExportUnavailable(_("Cet export n’existe pas."))
    if not user.is_active:
        raise ExportUnavailable(_("Votre compte est désactivé."))
    return _REGISTRY[kind].builder(user, params)


def should_run_in_background(exporter: Exporter, rows: int | None = None) -> bool:
    rows = exporter.row_count() if rows is None else rows
    return rows is not None and rows > settings.EXPORT_BACKGROUND_ROWS


def offer(request, *, kind: str, params: dict, fmt: str, exporter: Exporter, rows: int, back_url: str = ""):
    """The page a large export's link opens: how many rows, and a button that starts it."""
    return render(
        request,
        "core/exports/offer.html",
        {
            "kind": kind,
            "params": json.dumps(params, ensure_ascii=False, sort_keys=True),
            "fmt": fmt,
            "label": exporter.title,
            "rows": rows,
            "source_url": request.get_full_path(),
            "back_url": back_url,
        },
    )


def answer(request, exporter: Exporter, fmt: str, filename: str, *, kind: str, params: dict, back_url: str = ""):
    """An export view's answer: the file at once when small, else the offer to prepare it
    (`back_url`, the page the export comes from: its « Retour », with the same filters)."""
    rows = exporter.row_count()
    if should_run_in_background(exporter, rows):
        if back_url and request.GET:
            back_url = f"{back_url}?{request.GET.urlencode()}"
        return offer(request, kind=kind, params=params, fmt=fmt, exporter=exporter, rows=rows, back_url=back_url)
    content = exporter.as_csv() if fmt == "csv" else exporter.as_ods()
    return attachment_response(content, filename)


def query_params(query) -> dict:
    """A request's query string as JSON-able `params` (each key with its list of values)."""
    return dict(query.lists())


def query_from(params: dict) -> QueryDict:
    """The filters of `params["query"]` back as a QueryDict; `ExportUnavailable` if malformed."""
    query = QueryDict(mutable=True)
    raw = params.get("query") or {}
    if not isinstance(raw, dict):
        raise ExportUnavailable(_("Les filtres de cet export sont illisibles."))
    for key, values in raw.items():
        if not (isinstance(values, list) and all(isinstance(value, str) for value in values)):
            raise ExportUnavailable(_("Les filtres de cet export sont illisibles."))
        query.setlist(key, values)
    return query


def label_of(exporter: Exporter, fmt: str) -> str:
    return f"{exporter.title} ({fmt.upper()})"[:300]


def start(user, kind: str, params: dict, fmt: str, *, source_url: str = "", request=None) -> BackgroundExport:
    """Checks that `user` may have this export now (`ExportUnavailable` otherwise), writes the
    job and enqueues it once the transaction commits."""
    if fmt not in FORMATS:
        raise ExportUnavailable(_("Ce format n’existe pas."))
    exporter = build(user, kind, params)
    with transaction.atomic():
        job = BackgroundExport.objects.create(
            user=user,
            kind=kind,
            label=label_of(exporter, fmt),
            params=params,
            format=fmt,
            rows_total=exporter.row_count(),
            source_url=source_url[:500],
        )
        audit.record(
            AuditAction.EXPORT_STARTED,
            actor=user,
            obj=job,
            after={"kind": kind, "format": fmt, "rows": job.rows_total},
            request=request,
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(export_id) -> None:
    from pilotis.core.tasks import run_background_export

    run_background_export.enqueue(str(export_id))


def run(export_id) -> str:
    """Prepares one export (the worker's task); answers its final state. A job already taken
    (another worker, a task run twice) is left alone."""
    purge_expired()
    now = timezone.now()
    taken = BackgroundExport.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=now
    )
    if not taken:
        return "skipped"
    job = BackgroundExport.objects.select_related("user").get(pk=export_id)
    try:
        _write(job)
    except ExportUnavailable as refusal:
        return _fail(job, str(refusal))
    except Exception:
        logger.exception("background export %s failed", job.pk)
        return _fail(
            job,
            _("L’export a échoué à cause d’une erreur de Pilotis. Relancez-le ; si l’échec se répète, signalez-le."),
        )
    return ExportState.DONE


def _write(job: BackgroundExport) -> None:
    exporter = build(job.user, job.kind, job.params)

    written = 0

    def progress(rows):
        nonlocal written
        written = rows
        BackgroundExport.objects.filter(pk=job.pk).update(rows_done=rows)

    exporter.progress = progress
    exporter.progress_every = PROGRESS_EVERY
    storage = storages["exports"]
    with tempfile.TemporaryFile() as spool:
        if job.format == "csv":
            for piece in exporter.iter_csv():
                spool.write(piece)
        else:
            exporter.write_ods(spool)
        size = spool.tell()
        spool.seek(0)
        name = storage.save(f"{job.pk}.{job.format}", File(spool))
    finished = timezone.now()
    BackgroundExport.objects.filter(pk=job.pk).update(
        state=ExportState.DONE,
        rows_total=written,  # what was written, when the count beforehand was a lower bound
        file_name=name,
        download_name=f"{getattr(exporter, 'filename', 'export')}.{job.format}",
        size=size,
        finished_at=finished,
        expires_at=finished + timezone.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )


def _fail(job: BackgroundExport, message: str) -> str:
    finished = timezone.now()
    BackgroundExport.objects.filter(pk=job.pk).update(
        state=ExportState.FAILED,
        error=message[:300],
        finished_at=finished,
        expires_at=finished + timezone.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    return ExportState.FAILED


def purge_expired(now=None) -> int:
    """Deletes the files past their time, then the rows a week older; answers the files deleted.
    A job its worker lost (killed mid-way: django-tasks-db never runs its task again) is said
    failed, so that its page stops waiting and offers to run it again."""
    now = now or timezone.now()
    BackgroundExport.objects.lost(now).update(
        state=ExportState.FAILED,
        error=_("La préparation a été interrompue (redémarrage du serveur). Relancez l’export."),
        finished_at=now,
        expires_at=now + timezone.timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    storage = storages["exports"]
    deleted = 0
    for job in BackgroundExport.objects.files_expired(now).only("pk", "file_name"):
        storage.delete(job.file_name)
        deleted += BackgroundExport.objects.filter(pk=job.pk).update(file_name="")
    for job in BackgroundExport.objects.forgotten(now).exclude(file_name="").only("pk", "file_name"):
        storage.delete(job.file_name)  # a worker killed after storing it
    BackgroundExport.objects.forgotten(now).delete()
    return deleted


@section("background_exports", lambda: _("Exports préparés en arrière-plan (gardés une semaine au plus)"), 85)
def personal_rows(user) -> list[dict]:
    return [
        {
            _("demandé le"): when(job.created_at),
            _("export"): job.label,
            _("état"): job.get_state_display(),
            _("filtres"): job.params.get("query") or {},
        }
        for job in BackgroundExport.objects.filter(user=user).order_by("created_at")
    ]


@anonymiser("background_exports")
def forget(user) -> None:
    """An anonymised person's exports go, files first: their filters and labels were theirs."""
    storage = storages["exports"]
    for job in BackgroundExport.objects.filter(user=user).exclude(file_name=""):
        storage.delete(job.file_name)
    BackgroundExport.objects.filter(user=user).delete()
