"""Background tasks of steering, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from pilotis.steering import services


@task
def send_reminders(batch_id: int) -> int:
    return services.send_batch(batch_id)
