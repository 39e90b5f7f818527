from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "pilotis.workshops"
    verbose_name = "Ateliers et formations"
