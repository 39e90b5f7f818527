from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "pilotis.equipment"
    verbose_name = "Besoins d'équipement et services numériques"
