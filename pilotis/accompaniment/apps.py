from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "pilotis.accompaniment"
    verbose_name = "Suivi de l'accompagnement"

    def ready(self):
        from pilotis.accompaniment import background, panels, personal_data  # noqa: F401

        background.register()
