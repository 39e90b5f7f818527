from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "pilotis.plans"
    verbose_name = "Plan d'actions"
