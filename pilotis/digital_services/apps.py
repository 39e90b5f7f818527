from django.apps import AppConfig


class DigitalServicesConfig(AppConfig):
    name = "pilotis.digital_services"
    verbose_name = "Services numériques de l'établissement"
