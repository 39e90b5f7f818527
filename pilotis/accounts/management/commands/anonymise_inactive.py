"""Unused accounts: a notice, then anonymisation (SECURITY.md, « Personal data: download and
anonymisation »). Run it daily from cron."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from pilotis.accounts import services


class Command(BaseCommand):
    help = (
        "Comptes inutilisés depuis ACCOUNT_INACTIVITY_DAYS : envoie l'avis, puis anonymise ceux qui ne se sont "
        "pas reconnectés ACCOUNT_NOTICE_DAYS après."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="dire ce qui serait fait, sans rien faire")

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        notice_limit = now - datetime.timedelta(days=settings.ACCOUNT_NOTICE_DAYS)
        noticed = anonymised = 0
        for user in services.inactive_users(now).order_by("pk"):
            if user.inactivity_notice_at is None or (user.last_login and user.last_login > user.inactivity_notice_at):
                # Never told, or signed in since the last notice and unused again: a (new) notice.
                noticed += 1
                if not dry_run:
                    services.send_inactivity_notice(user, now=now)
            elif user.inactivity_notice_at <= notice_limit:
                anonymised += 1
                if not dry_run:
                    services.anonymise_user(user)
        prefix = "Simulation : " if dry_run else ""
        self.stdout.write(f"{prefix}{noticed} avis envoyé(s), {anonymised} compte(s) anonymisé(s).")
