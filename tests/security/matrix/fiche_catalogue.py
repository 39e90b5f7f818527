"""The permission matrix's rows of the académie's catalogue (`fiche_catalogue`): every user of an
académie reads it (nobody without one: 404); a fiche of school A shared with Bordeaux is read by
Bordeaux's users and does not exist for Rennes'; only Bordeaux's DANE (and the administrator)
curate it, the other readers are refused (403)."""

from pilotis.fiches.models import Fiche
from tests.fiches.test_catalogue_support import make_fiche

BELONGING = {
    "chef_a",
    "adjoint_a",
    "rupn_a",
    "member_a",
    "rupn_b",
    "chef_c",
    "correspondant_40",
    "correspondant_64",
    "dane",
    "dane_rennes",
    "admin",
}
RENNES = {"chef_c", "dane_rennes"}
CURATORS = {"dane", "admin"}


def shared_of_a(w):
    fiche = Fiche.objects.filter(school=w.school_a).first() or make_fiche(
        w.school_a, "Tablettes en SVT", disciplines=["svt"], authors=[(w.rupn_a, True)], by=w.rupn_a
    )
    return [fiche.pk]


def featured_of_a(w):
    fiche = Fiche.objects.filter(school=w.school_a).first() or make_fiche(w.school_a, "Mise en avant", featured=True)
    return [fiche.pk]


def reason_data(w):
    return {"reason": "Des élèves sont reconnaissables sur les photos."}


def _snapshot():
    return sorted(Fiche.objects.values_list("pk", "featured_at", "taken_down_at", "taken_down_reason"))


def extend(matrix):
    statuses = matrix.statuses
    readers = statuses(404, s200=BELONGING)
    bordeaux_readers = BELONGING - RENNES
    curation = statuses(404, s302=CURATORS, s403=bordeaux_readers - CURATORS)
    matrix.MATRIX.update(
        {
            "fiche_catalogue:list": ("get", None, None, readers),
            "fiche_catalogue:feed": ("get", None, None, readers),
            "fiche_catalogue:export": ("get", lambda w: ["json"], None, readers),
            "fiche_catalogue:fiche": ("get", shared_of_a, None, statuses(404, s200=bordeaux_readers)),
            "fiche_catalogue:feature": ("post", shared_of_a, None, curation),
            "fiche_catalogue:unfeature": ("post", featured_of_a, None, curation),
            "fiche_catalogue:take_down": ("post", shared_of_a, reason_data, curation),
        }
    )
    matrix.GUARDS.update(
        {
            "fiche_catalogue:list": ("fiche_catalogue:read",),
            "fiche_catalogue:feed": ("fiche_catalogue:read",),
            "fiche_catalogue:export": ("fiche_catalogue:read",),
            "fiche_catalogue:fiche": ("fiche_catalogue:read",),
            "fiche_catalogue:feature": ("fiche_catalogue:curate",),
            "fiche_catalogue:unfeature": ("fiche_catalogue:curate",),
            "fiche_catalogue:take_down": ("fiche_catalogue:curate",),
        }
    )
    matrix.SNAPSHOTS.extend([_snapshot])
