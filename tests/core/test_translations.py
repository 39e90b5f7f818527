"""Django's own messages keep Django's French words, whatever a third-party app's catalogue says.

An installed app's catalogue outranks Django's: Django REST framework's would turn « adresse de
courriel » into « adresse e-mail » in every form. The project's catalogue (locale/fr) pins them.
"""

import gettext
from pathlib import Path

import django
from django.apps import apps
from django.utils import translation


def catalogue(folder: Path) -> dict:
    path = folder / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    if not path.exists():
        return {}
    with path.open("rb") as file:
        return {key: value for key, value in gettext.GNUTranslations(file)._catalog.items() if isinstance(key, str)}


def test_djangos_messages_keep_djangos_translation():
    djangos = catalogue(Path(django.__file__).parent / "conf")
    third_party = [config for config in apps.get_app_configs() if not config.name.startswith(("django.", "pilotis."))]
    overridden = {
        key
        for config in third_party
        for key, value in catalogue(Path(config.path)).items()
        if key and key in djangos and value != djangos[key]
    }
    assert "Enter a valid email address." in overridden, "the check no longer sees Django REST framework's catalogue"
    with translation.override("fr"):
        wrong = {key: translation.gettext(key) for key in overridden if translation.gettext(key) != djangos[key]}
    assert wrong == {}
