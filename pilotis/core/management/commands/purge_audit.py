"""Deletes the audit rows older than AUDIT_RETENTION_DAYS (SECURITY.md, « Audit journal »); run daily from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand

from pilotis.core.models import AuditEvent


class Command(BaseCommand):
    help = "Supprime les événements du journal d'audit plus anciens que AUDIT_RETENTION_DAYS."

    def handle(self, *args, **options):
        deleted, _ = AuditEvent.objects.older_than_retention().delete()
        self.stdout.write(
            f"{deleted} événement(s) d'audit supprimé(s) (conservation : {settings.AUDIT_RETENTION_DAYS} jours)."
        )
