from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "pilotis.workshops"
    verbose_name = "Ateliers et formations"

    def ready(self):
        from pilotis.workshops import notes, panels, personal_data  # noqa: F401
