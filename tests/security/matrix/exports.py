"""The permission matrix's rows of « Mes exports » (`core.views_exports`): an export is its owner's
alone — the correspondent of the Landes here —, a 404 for everyone else, a DANE or the
administrator included; starting one asks its builder, as the user, for the export (the Bordeaux
campaign's progress: those who follow its territory)."""

import json

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from pilotis.core.enums import ExportState
from pilotis.core.models import BackgroundExport


def _owned(w):
    job = BackgroundExport.objects.filter(user=w.correspondant_40).first()
    if job is None:
        name = storages["exports"].save("matrice.csv", ContentFile(b"\xef\xbb\xbfUAI\r\n"))
        now = timezone.now()
        job = BackgroundExport.objects.create(
            user=w.correspondant_40,
            kind="steering",
            label="Avancement (CSV)",
            format="csv",
            state=ExportState.DONE,
            rows_done=0,
            file_name=name,
            download_name="avancement.csv",
            size=7,
            finished_at=now,
            expires_at=now + timezone.timedelta(hours=24),
        )
    return [job.pk]


def _snapshot():
    return sorted(BackgroundExport.objects.values_list("pk", "state", "file_name"))


def extend(matrix):
    owner = matrix.statuses(404, s200={"correspondant_40"})

    def no_args(w):
        matrix.open_campaign(w)  # before the snapshot: the post itself must change nothing
        return []

    def start_data(w):
        campaign = matrix.open_campaign(w)
        params = {"campaign": campaign.pk, "board": "progress", "query": {}}
        return {"kind": "steering", "params": json.dumps(params), "fmt": "csv"}

    matrix.MATRIX.update(
        {
            "exports:index": ("get", None, None, matrix.statuses(200)),
            "exports:start": ("post", no_args, start_data, matrix.statuses(404, s302=matrix.BORDEAUX_STEERING)),
            "exports:job": ("get", _owned, None, owner),
            "exports:download": ("get", _owned, None, owner),
        }
    )
    matrix.GUARDS.update(
        {
            "exports:index": ("export:read",),
            "exports:start": ("export:start",),
            "exports:job": ("export:read",),
            "exports:download": ("export:read",),
        }
    )
    matrix.SNAPSHOTS.append(_snapshot)
