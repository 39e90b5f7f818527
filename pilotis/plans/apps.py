from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "pilotis.plans"
    verbose_name = "Plan d'actions"

    def ready(self):
        from pilotis.plans import notes, panels, personal_data  # noqa: F401
