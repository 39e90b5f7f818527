from django.apps import AppConfig


class FichesConfig(AppConfig):
    name = "pilotis.fiches"
    verbose_name = "Fiches d'usage"
