"""The permission matrix's rows of `workshops`: whoever reads school A reads its sessions and prints
their attendance sheets; its direction and RUPN record, mark attendance and delete (403 for its other
readers); everyone else: 404."""

import datetime

from django.utils import timezone

from pilotis.workshops import services
from pilotis.workshops.models import Participant, Workshop


def _session(w):
    day = timezone.localdate() - datetime.timedelta(days=1)  # held: its attendance may be marked
    return services.record_workshop(
        w.school_a,
        services.WorkshopInput(
            held_on=day,
            title="Prise en main de l'ENT",
            theme="ent",
            duration_minutes=60,
            audiences=["teachers"],
            participant_ids=[w.member_a.pk],
        ),
        by=w.rupn_a,
    )


def session(w):
    return [w.school_a.uai, _session(w).pk]


def session_data(w):
    return {
        "held_on": timezone.localdate().isoformat(),
        "duration_minutes": "45",
        "title": "Découvrir Pix",
        "kind": "workshop",
        "theme": "pix",
        "audiences": ["pupils"],
        "participant_count": "25",
    }


def edit_data(w):
    workshop = Workshop.objects.filter(school=w.school_a).latest("pk")
    return {**session_data(w), "seen_revision": workshop.revision, "participants": [w.member_a.pk]}


def attendance_data(w):
    workshop = Workshop.objects.filter(school=w.school_a).latest("pk")
    return {"seen_revision": workshop.revision, "present": [w.member_a.pk], "participant_count": "3"}


def snapshot():
    return (
        sorted(Workshop.objects.values_list("pk", "title", "revision", "participant_count", "attendance_marked_at")),
        sorted(Participant.objects.values_list("pk", "user_id", "present")),
    )


def extend(matrix):
    statuses, readers, writers = matrix.statuses, matrix.SCHOOL_A_READERS, matrix.FILLERS_A
    read = statuses(404, s200=readers)
    write = statuses(404, s302=writers, s403=readers - writers)
    matrix.MATRIX.update(
        {
            "workshops:home": ("get", matrix.school_a, None, read),
            "workshops:create": ("post", matrix.school_a, session_data, write),
            "workshops:detail": ("get", session, None, read),
            "workshops:edit": ("post", session, edit_data, write),
            "workshops:attendance": ("post", session, attendance_data, write),
            "workshops:delete": ("post", session, None, write),
            "workshops:sheet_pdf": ("get", session, None, read),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(["workshops:home", "workshops:detail", "workshops:sheet_pdf"], ("school:read",)),
            **dict.fromkeys(
                ["workshops:create", "workshops:edit", "workshops:attendance", "workshops:delete"],
                ("workshop:write",),
            ),
        }
    )
    matrix.SNAPSHOTS.append(snapshot)
