from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "pilotis.missions"
    verbose_name = "Mission du RUPN"
