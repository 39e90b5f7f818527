"""Runs the demo's fake GLPI (pilotis/demo/glpi.py) until interrupted, with the tokens of
settings SUPPORT_GLPI["landes"] unless given."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from pilotis.demo.glpi import FakeGlpi


class Command(BaseCommand):
    help = "Lance un faux GLPI sur 127.0.0.1 pour la démonstration des demandes d'assistance."

    def add_arguments(self, parser):
        entry = (getattr(settings, "SUPPORT_GLPI", None) or {}).get("landes", {})
        parser.add_argument("--port", type=int, default=8190)
        parser.add_argument("--app-token", default=entry.get("APP_TOKEN") or "demo-app-token")
        parser.add_argument("--user-token", default=entry.get("USER_TOKEN") or "demo-user-token")

    def handle(self, *args, port, app_token, user_token, **options):
        glpi = FakeGlpi(app_token=app_token, user_token=user_token, port=port).start()
        self.stdout.write(f"Faux GLPI : {glpi.url} (Ctrl-C pour l'arrêter)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            glpi.stop()
