from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "pilotis.news"
    verbose_name = "Actualités de l'académie"

    def ready(self):
        from pilotis.news import menu, panels, personal_data  # noqa: F401
