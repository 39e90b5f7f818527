from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "pilotis.assessments"
    label = "assessments"
    verbose_name = "Autodiagnostic SCHÉMATIC"
