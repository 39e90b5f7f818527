"""Backs up the database while Pilotis runs, through `core.backup` (SECURITY.md, « Backups restore whole »)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from pilotis.core.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = (
        "Sauvegarde la base pendant que Pilotis tourne : le fichier FICHIER et son manifeste FICHIER.json "
        "(lignes par table, empreinte SHA-256)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", metavar="FICHIER", help="fichier de sauvegarde à créer")
        parser.add_argument("--database", default="default", help="alias de la base (par défaut : default)")

    def handle(self, *args, dump, database, **options):
        try:
            manifest = backup(connections[database].settings_dict, dump)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Sauvegarde écrite : {dump} ({manifest['size']} octets, {len(manifest['counts'])} tables, "
            f"{rows} lignes) ; manifeste : {manifest_path(Path(dump))}."
        )
