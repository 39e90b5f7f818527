from django.core.management.base import BaseCommand, CommandError

from pilotis.plans.suggestions import DEFAULT_FILE, SuggestionsError, load_suggestions


class Command(BaseCommand):
    help = (
        "Valide et charge le catalogue des actions suggérées par indicateur (par défaut, celui livré avec "
        "Pilotis). Les suggestions ajoutées par une académie dans l'administration ne sont pas touchées."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE), help="Fichier YAML du catalogue.")

    def handle(self, *args, **options):
        try:
            report = load_suggestions(options["file"])
        except SuggestionsError as exc:
            raise CommandError("Catalogue refusé, rien n'a été chargé :\n  " + "\n  ".join(exc.problems)) from None
        if options["verbosity"] > 0:
            for line in report.summary():
                self.stdout.write(line)
