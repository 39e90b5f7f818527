from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "pilotis.territories"
    label = "territories"
