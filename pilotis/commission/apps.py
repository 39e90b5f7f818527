from django.apps import AppConfig


class CommissionConfig(AppConfig):
    name = "pilotis.commission"
    verbose_name = "Commission numérique"

    def ready(self):
        from pilotis.commission import notes, panels, personal_data  # noqa: F401
