from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pilotis.referential.loader import ReferentialError, bundled_files, load_referential

OUTCOMES = {"created": "créée", "updated": "mise à jour", "unchanged": "inchangée"}


class Command(BaseCommand):
    help = "Valide et charge les versions du référentiel SCHÉMATIC (par défaut, celles livrées avec Pilotis)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Fichiers YAML du référentiel.")

    def handle(self, *args, **options):
        files = [Path(f) for f in options["files"]] or bundled_files()
        if not files:
            raise CommandError("Aucun fichier de référentiel à charger.")
        for path in files:
            try:
                result = load_referential(path)
            except ReferentialError as exc:
                raise CommandError(
                    f"Référentiel refusé, rien n'a été chargé depuis {path.name} :\n  " + "\n  ".join(exc.problems)
                ) from None
            if options["verbosity"] > 0:
                self.stdout.write(
                    f"Version {result.version} {OUTCOMES[result.outcome]} : "
                    f"{result.domains} domaines, {result.indicators} indicateurs ({path.name})"
                )
