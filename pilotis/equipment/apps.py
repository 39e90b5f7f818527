from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "pilotis.equipment"
    verbose_name = "Besoins d'équipement et services numériques"

    def ready(self):
        from pilotis.equipment import notes, panels, personal_data  # noqa: F401
