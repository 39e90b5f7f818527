from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "pilotis.missions"
    verbose_name = "Mission du RUPN"

    def ready(self):
        from pilotis.missions import background, panels, personal_data, team  # noqa: F401

        background.register()
