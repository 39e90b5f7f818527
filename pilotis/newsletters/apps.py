from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "pilotis.newsletters"
    verbose_name = "Flash'infos"
