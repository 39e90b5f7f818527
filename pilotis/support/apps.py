from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "pilotis.support"
    verbose_name = "Demandes d'assistance"
