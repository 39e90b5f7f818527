from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pilotis.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from pilotis.accounts import personal_data, signals  # noqa: F401
