from django.apps import AppConfig


class FichesConfig(AppConfig):
    name = "pilotis.fiches"
    verbose_name = "Fiches d'usage"

    def ready(self):
        from pilotis.fiches import notes, panels, personal_data  # noqa: F401
