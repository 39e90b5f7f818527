from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "pilotis.equipment"
    verbose_name = "Besoins d'équipement"

    def ready(self):
        from pilotis.equipment import notes, panels, personal_data, tallies  # noqa: F401
