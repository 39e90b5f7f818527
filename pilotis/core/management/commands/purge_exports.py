"""Deletes the background exports past their time, files and rows (« Mes exports »); run from cron,
and at the start of every export the worker prepares, so nothing waits for cron."""

from django.conf import settings
from django.core.management.base import BaseCommand

from pilotis.core.background_exports import purge_expired


class Command(BaseCommand):
    help = "Supprime les fichiers des exports en arrière-plan expirés, et leurs lignes une semaine après."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(
            f"{deleted} fichier(s) d’export expiré(s) supprimé(s) (conservation : {settings.EXPORT_KEEP_HOURS} heures)."
        )
