from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pilotis.api"
    verbose_name = "API"
