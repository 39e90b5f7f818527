"""Asks the worker again for the mailings whose sending task died with its worker (killed, host
restarted): django-tasks-db leaves such a task « running » for ever and never runs it again.

Run it when the worker pool starts, before `db_worker` (the pool's previous workers are dead then):
a mailing neither finished, nor waiting for its author's « Reprendre l'envoi », nor holding a task
still to run, gets a new one. `outbox.send` starts at its first unsent delivery; none is sent twice
but for the window its docstring names."""

from django.core.management.base import BaseCommand
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pilotis.core import outbox
from pilotis.core.models import Mailing

TASK_PATH = "pilotis.core.tasks.send_mailing"


def requeue_interrupted() -> list[int]:
    """Enqueues a sending task for every interrupted mailing; returns their ids."""
    queued = {
        (row.get("args") or [None])[0]
        for row in DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).values_list(
            "args_kwargs", flat=True
        )
    }
    now = timezone.now()
    requeued = []
    for mailing in Mailing.objects.filter(finished_at=None).order_by("pk"):
        waiting_for_author = bool(mailing.last_error) and mailing.retry_at is None
        if waiting_for_author or mailing.pk in queued:
            continue
        later = mailing.retry_at if mailing.retry_at and mailing.retry_at > now else None
        outbox.enqueue(mailing.pk, run_after=later)
        requeued.append(mailing.pk)
    return requeued


class Command(BaseCommand):
    help = "Relance les envois de courriels interrompus (tâche d'un worker arrêté brutalement)."

    def handle(self, *args, **options):
        requeued = requeue_interrupted()
        self.stdout.write(f"{len(requeued)} envoi(s) de courriels relancé(s).")
