from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "pilotis.assessments"
    label = "assessments"
    verbose_name = "Autodiagnostic SCHÉMATIC"

    def ready(self):
        from pilotis.assessments import panels, personal_data, signals  # noqa: F401
