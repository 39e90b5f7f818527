from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pilotis.api"
    verbose_name = "API"

    def ready(self):
        from pilotis.api import schema  # noqa: F401  (registers the token's description in the schema)
