from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "pilotis.steering"
    verbose_name = "Pilotage territorial"

    def ready(self):
        from pilotis.steering import background, personal_data, signals  # noqa: F401

        background.register()
