from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pilotis.accounts"
    label = "accounts"
