"""The permission matrix's rows of this app: `extend(matrix)` adds them (the matrix module is given,
with its helpers: `matrix.statuses`, `matrix.school_a`, `matrix.SCHOOL_A_READERS`…)."""

import datetime

from django.utils import timezone

from pilotis.commission import services
from pilotis.commission.models import AgendaItem, Attendance, CommissionMember, Decision, Meeting


def _member(w):
    member = CommissionMember.objects.filter(school=w.school_a).first()
    if member is None:
        member = services.add_member(
            w.school_a, by=w.chef_a, user=w.member_a, group="teachers", from_date=datetime.date(2020, 9, 1)
        )
    return member


def _meeting(w, *, days=10, state="planned"):
    _member(w)
    meeting = services.create_meeting(
        w.school_a, by=w.chef_a, starts_at=timezone.now() + datetime.timedelta(days=days), place="Salle du conseil"
    )
    if state in ("held", "validated"):
        meeting = services.record_minutes(
            meeting,
            by=w.chef_a,
            seen_revision=None,
            attendance={},
            minutes="Compte rendu",
            decisions=[services.DecisionInput("Former l'équipe à l'ENT")],
        )
    if state == "validated":
        meeting = services.validate_minutes(meeting, by=w.chef_a)
    return meeting


def member_args(w):
    return [w.school_a.uai, _member(w).pk]


def planned(w):
    return [w.school_a.uai, _meeting(w).pk]


def held(w):
    return [w.school_a.uai, _meeting(w, days=-3, state="held").pk]


def validated(w):
    return [w.school_a.uai, _meeting(w, days=-3, state="validated").pk]


def decision_args(w):
    meeting = _meeting(w, days=-3, state="held")
    return [w.school_a.uai, meeting.pk, Decision.objects.get(meeting=meeting).pk]


def member_data(w):
    return {"name": "Mme Dupuy", "email": "dupuy@example.org", "group": "parents", "from_date": "2026-09-01"}


def member_change_data(w):
    return {"group": "rupn", "from_date": "2020-09-01", "to_date": ""}


def meeting_data(w):
    return {"starts_at": "2027-01-12T17:30", "ends_time": "19:00", "place": "CDI", "visio_url": ""}


def meeting_edit_data(w):
    meeting = Meeting.objects.filter(school=w.school_a).latest("pk")
    return {
        **meeting_data(w),
        "seen_revision": meeting.revision,
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "Usages de l'ENT",
        "items-0-notes": "",
    }


def minutes_data(w):
    meeting = Meeting.objects.filter(school=w.school_a).latest("pk")
    return {
        "seen_revision": meeting.revision,
        "minutes": "Nouveau compte rendu",
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "0",
        "decisions-0-text": "Équiper la salle 12",
    }


def revision_data(w):
    return {"seen_revision": Meeting.objects.filter(school=w.school_a).latest("pk").revision}


def snapshot():
    return (
        sorted(CommissionMember.objects.values_list("pk", "name", "group", "from_date", "to_date")),
        sorted(Meeting.objects.values_list("pk", "state", "revision", "minutes", "convocation_sequence", "starts_at")),
        sorted(AgendaItem.objects.values_list("pk", "title", "notes")),
        sorted(Attendance.objects.values_list("pk", "presence")),
        sorted(Decision.objects.values_list("pk", "text", "action_id")),
    )


def extend(matrix):
    statuses, readers, direction = matrix.statuses, matrix.SCHOOL_A_READERS, matrix.DIRECTION_A
    writers = matrix.FILLERS_A
    read = statuses(404, s200=readers)
    write = statuses(404, s302=writers, s403=readers - writers)
    validate = statuses(404, s302=direction, s403=readers - direction)
    matrix.MATRIX.update(
        {
            "commission:home": ("get", matrix.school_a, None, read),
            "commission:member_add": ("post", matrix.school_a, member_data, write),
            "commission:member_edit": ("post", member_args, member_change_data, write),
            "commission:member_delete": ("post", member_args, None, write),
            "commission:meeting_create": ("post", matrix.school_a, meeting_data, write),
            "commission:meeting": ("get", planned, None, read),
            "commission:meeting_edit": ("post", planned, meeting_edit_data, write),
            "commission:meeting_minutes": ("post", held, minutes_data, write),
            "commission:decision_action": ("post", decision_args, None, write),
            "commission:meeting_convene": ("post", planned, None, write),
            "commission:meeting_validate": ("post", held, revision_data, validate),
            "commission:meeting_reopen": ("post", validated, None, validate),
            "commission:meeting_delete": ("post", planned, None, write),
            "commission:meeting_pdf": ("get", validated, None, read),
            "commission:meeting_odt": ("get", validated, None, read),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(
                ["commission:home", "commission:meeting", "commission:meeting_pdf", "commission:meeting_odt"],
                ("school:read",),
            ),
            **dict.fromkeys(
                [
                    "commission:member_add",
                    "commission:member_edit",
                    "commission:member_delete",
                    "commission:meeting_create",
                    "commission:meeting_edit",
                    "commission:meeting_minutes",
                    "commission:decision_action",
                    "commission:meeting_convene",
                    "commission:meeting_delete",
                ],
                ("commission:run",),
            ),
            "commission:meeting_validate": ("minutes:validate",),
            "commission:meeting_reopen": ("minutes:reopen",),
        }
    )
    matrix.SNAPSHOTS.extend([snapshot])
