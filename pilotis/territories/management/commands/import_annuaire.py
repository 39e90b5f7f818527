"""`manage.py import_annuaire FILE`: a thin wrapper around `pilotis.territories.importers`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.territories.importers import AnnuaireImportError, import_annuaire


class Command(BaseCommand):
    help = _(
        "Importe l'export CSV de l'« Annuaire de l'éducation » (data.education.gouv.fr) : crée ou met à "
        "jour les établissements du second degré par UAI, avec leurs académies et départements."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("le fichier CSV (séparateur « ; », encodage UTF-8)"))
        parser.add_argument(
            "--academy",
            action="append",
            dest="academies",
            default=[],
            metavar="CODE",
            help=_("n'importer que cette académie (ex. 04 pour Bordeaux) ; option répétable"),
        )
        parser.add_argument(
            "--department",
            action="append",
            dest="departments",
            default=[],
            metavar="CODE",
            help=_("n'importer que ce département (ex. 040 ou 40) ; option répétable"),
        )
        parser.add_argument("--include-ecoles", action="store_true", help=_("importer aussi les écoles"))
        parser.add_argument(
            "--accept-partial",
            action="store_true",
            help=_("écrire les lignes valides même si d'autres sont rejetées"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("tout vérifier sans rien écrire"))

    def handle(self, *args, **options):
        try:
            report = import_annuaire(
                options["file"],
                academies=options["academies"],
                departments=options["departments"],
                include_ecoles=options["include_ecoles"],
                accept_partial=options["accept_partial"],
                dry_run=options["dry_run"],
                progress=True,
            )
        except AnnuaireImportError as error:
            raise CommandError(str(error)) from None

        for line in report.summary():
            self.stdout.write(line)
        if report.rejected_count and not options["accept_partial"]:
            raise CommandError(
                ngettext(
                    "%(n)d ligne rejetée : rien n'a été importé ; corrigez le fichier, ou relancez avec "
                    "--accept-partial pour importer les lignes valides.",
                    "%(n)d lignes rejetées : rien n'a été importé ; corrigez le fichier, ou relancez avec "
                    "--accept-partial pour importer les lignes valides.",
                    report.rejected_count,
                )
                % {"n": report.rejected_count}
            )
        if report.written:
            self.stdout.write(self.style.SUCCESS(_("Import terminé.")))
