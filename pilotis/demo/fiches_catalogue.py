"""The demo's catalogue: its search index, rebuilt once the demo's fiches are written (the
school's services index each fiche as they write it; rebuilding makes the demo independent of
the order in which its parts run)."""

from django.utils.translation import gettext as _

from pilotis.fiches.search import rebuild_index


def load_fiches_catalogue(stdout):
    listed = rebuild_index()
    stdout.write(_("Catalogue des fiches : %(n)d fiches partagées avec l'académie, indexées.") % {"n": listed})
