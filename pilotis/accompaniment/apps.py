from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "pilotis.accompaniment"
    verbose_name = "Suivi de l'accompagnement"
