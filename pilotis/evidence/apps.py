from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "pilotis.evidence"
    verbose_name = "Pièces justificatives"

    def ready(self):
        from pilotis.evidence import panels, personal_data, signals  # noqa: F401
