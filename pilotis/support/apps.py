from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "pilotis.support"
    verbose_name = "Demandes d'assistance"

    def ready(self):
        from pilotis.support import panels, personal_data  # noqa: F401
