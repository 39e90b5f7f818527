"""Background tasks of the core, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from pilotis.core import outbox


@task
def send_mailing(mailing_id: int) -> int:
    return outbox.send(mailing_id)
