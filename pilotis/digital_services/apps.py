from django.apps import AppConfig


class DigitalServicesConfig(AppConfig):
    name = "pilotis.digital_services"
    verbose_name = "Services numériques de l'établissement"

    def ready(self):
        from pilotis.digital_services import panels, personal_data  # noqa: F401
