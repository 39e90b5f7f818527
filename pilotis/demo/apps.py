from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data only (`load_demo`): the top layer, so it may use every app's services."""

    name = "pilotis.demo"
    label = "demo"
    verbose_name = "Démonstration"
