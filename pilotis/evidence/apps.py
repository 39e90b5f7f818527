from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "pilotis.evidence"
    verbose_name = "Pièces justificatives"
