from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "pilotis.news"
    verbose_name = "Actualités de l'académie"
