"""The permission matrix's rows of this app: `extend(matrix)` adds them (the matrix module is given,
with its helpers: `matrix.statuses`, `matrix.school_a`, `matrix.SCHOOL_A_READERS`…).

The school's log is the territory team's own record: for the school's people it does not exist
(404, as for anyone out of scope); the entries shared with the school are read by its direction and
RUPN, and refused to a member of its team (403)."""

from django.utils import timezone

from pilotis.accompaniment import services
from pilotis.accompaniment.models import AccompanimentEntry

LOG_KEEPERS_A = {"correspondant_40", "dane", "admin"}


def entry_of_a(w):
    entry = AccompanimentEntry.objects.filter(school=w.school_a).first()
    if entry is None:
        entry = services.record_entry(
            w.school_a,
            by=w.correspondant_40,
            happened_on=timezone.localdate(),
            kind="visit",
            notes="Visite de rentrée",
            shared_with_school=True,
        )
    return entry


def entry_args(w):
    return [w.school_a.uai, entry_of_a(w).pk]


def entry_data(w):
    return {"happened_on": timezone.localdate().isoformat(), "kind": "call", "notes": "Appel de suivi"}


def edit_data(w):
    return {**entry_data(w), "seen_revision": entry_of_a(w).revision}


def delete_data(w):
    return {"seen_revision": entry_of_a(w).revision}


def _snapshot():
    return sorted(
        AccompanimentEntry.objects.values_list("pk", "school_id", "kind", "notes", "shared_with_school", "revision")
    )


def extend(matrix):
    statuses, school_a = matrix.statuses, matrix.school_a
    keepers = statuses(404, s200=LOG_KEEPERS_A)
    writers = statuses(404, s302=LOG_KEEPERS_A)
    shared_readers = LOG_KEEPERS_A | matrix.FILLERS_A
    matrix.MATRIX.update(
        {
            "accompaniment:log": ("get", school_a, None, keepers),
            "accompaniment:add": ("post", school_a, entry_data, writers),
            "accompaniment:edit": ("post", entry_args, edit_data, writers),
            "accompaniment:delete": ("post", entry_args, delete_data, writers),
            "accompaniment:shared": ("get", school_a, None, statuses(404, s200=shared_readers, s403={"member_a"})),
            "accompaniments:list": ("get", None, None, statuses(404, s200=matrix.TERRITORIAL)),
            "accompaniments:export": (
                "get",
                lambda w: ["quiet", "ods"],
                None,
                statuses(404, s200=matrix.TERRITORIAL),
            ),
        }
    )
    matrix.GUARDS.update(
        {
            "accompaniment:log": ("accompaniment:read",),
            "accompaniment:add": ("accompaniment:write",),
            "accompaniment:edit": ("accompaniment:write",),
            "accompaniment:delete": ("accompaniment:write",),
            "accompaniment:shared": ("accompaniment:read_shared",),
            "accompaniments:list": ("accompaniment:browse",),
            "accompaniments:export": ("accompaniment:browse",),
        }
    )
    matrix.SNAPSHOTS.extend([_snapshot])
