"""The flash'infos' reminders: run it daily from cron (`newsletters.reminders`)."""

from django.core.management.base import BaseCommand

from pilotis.newsletters import reminders


class Command(BaseCommand):
    help = "Rappelle au RUPN de chaque établissement qu'un flash'infos est attendu (une fois par échéance)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="dire ce qui serait fait, sans rien faire")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            due = list(reminders.due_schools())
            self.stdout.write(f"Simulation : {len(due)} établissement(s) à qui rappeler un flash'infos.")
            return
        sent = reminders.remind_all()
        self.stdout.write(f"{sent} rappel(s) de flash'infos envoyé(s).")
