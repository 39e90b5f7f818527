"""Background tasks of the demandes d'assistance, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from pilotis.support import services


@task
def send_request(request_id: int) -> str:
    return services.deliver(request_id)


@task
def follow_request(request_id: int) -> str:
    return services.follow(request_id)
