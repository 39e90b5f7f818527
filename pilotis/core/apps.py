from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    name = "pilotis.core"
    label = "core"
    default = True
    verbose_name = "Journal d'audit"


class TasksConfig(TasksAppConfig):
    """django-tasks-db as the admin shows it: the package names its section in English."""

    verbose_name = "Tâches en arrière-plan"
