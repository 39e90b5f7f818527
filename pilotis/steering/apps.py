from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "pilotis.steering"
    verbose_name = "Pilotage territorial"
