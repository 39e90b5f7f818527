from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "pilotis.territories"
    label = "territories"
    verbose_name = "Territoires et établissements"
