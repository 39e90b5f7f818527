from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "pilotis.newsletters"
    verbose_name = "Flash'infos"

    def ready(self):
        from pilotis.newsletters import panels, personal_data  # noqa: F401
