"""Rebuilds the catalogue's search index from the fiches (after a bulk load, or to repair it)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pilotis.fiches.search import rebuild_index


class Command(BaseCommand):
    help = _("Reconstruit l'index de recherche du catalogue des fiches d'usage.")

    def handle(self, *args, **options):
        def progress(done, total):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done:,}/{total:,}")

        listed = rebuild_index(progress=progress)
        self.stdout.write(self.style.SUCCESS(_("%(n)d fiches au catalogue, indexées.") % {"n": listed}))
