"""Background tasks of the core, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from pilotis.core import background_exports, outbox


@task
def send_mailing(mailing_id: int) -> int:
    return outbox.send(mailing_id)


@task
def run_background_export(export_id: str) -> str:
    return str(background_exports.run(export_id))
