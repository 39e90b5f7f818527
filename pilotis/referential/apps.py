from django.apps import AppConfig


class ReferentialConfig(AppConfig):
    name = "pilotis.referential"
    label = "referential"
    verbose_name = "Référentiel SCHÉMATIC"
