"""Restores a backup into the configured database, which must be new (SECURITY.md, « Backups restore whole »)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from pilotis.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restaure la sauvegarde FICHIER dans la base configurée (DATABASE_URL), qui doit être neuve, "
        "puis vérifie son intégrité et le nombre de lignes de chaque table."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", metavar="FICHIER", help="fichier écrit par backup_db")
        parser.add_argument("--database", default="default", help="alias de la base (par défaut : default)")

    def handle(self, *args, dump, database, **options):
        connections[database].close()  # the restore opens its own connections
        try:
            problems = restore(dump, connections[database].settings_dict)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if problems:
            raise CommandError("Restauration incohérente : " + " ; ".join(problems))
        self.stdout.write("Restauration terminée : intégrité vérifiée, mêmes nombres de lignes que la sauvegarde.")
