from django.apps import AppConfig


class CommissionConfig(AppConfig):
    name = "pilotis.commission"
    verbose_name = "Commission numérique"
