from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pilotis.api"
    verbose_name = "API"

    def ready(self):
        # Registers the token's description in the schema, and the person's tokens in their data.
        from pilotis.api import personal_data, schema  # noqa: F401
