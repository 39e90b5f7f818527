"""Every write of the workshops and trainings, each in a transaction with its audit row. Each
service checks its author itself (`PermissionDenied`) whatever the view did, and refuses bad input
with a `ValidationError` in French before writing anything. An edition carries the revision its
page showed: if the session changed meanwhile, nothing is written (`StaleWorkshop`)."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.core import audit, formats
from pilotis.core.enums import AuditAction
from pilotis.core.school_years import school_year_of
from pilotis.core.validators import first_forbidden_character
from pilotis.workshops import themes
from pilotis.workshops.enums import Audience, SessionKind
from pilotis.workshops.models import Participant, Workshop
from pilotis.workshops.perms import can_write_workshops

MAX_MINUTES = 24 * 60
MAX_COUNT = 5000
MAX_PARTICIPANTS = 300
# A session is recorded up to a year ahead, and back to the school year before the last.
AHEAD = datetime.timedelta(days=366)


class StaleWorkshop(ValidationError):
    """The session changed since the author's page was loaded: nothing was written."""


STALE = _(
    "La séance a été modifiée par quelqu'un d'autre depuis l'affichage de cette page : rien n'a été "
    "enregistré. Vos saisies sont ci-dessous ; rechargez la page pour voir la version actuelle, puis reprenez-les."
)


@dataclass
class WorkshopInput:
    """What the form gives: the session and the members expected (users of the school)."""

    held_on: datetime.date
    title: str
    theme: str
    duration_minutes: int
    audiences: list[str]
    kind: str = SessionKind.WORKSHOP
    starts_at: datetime.time | None = None
    place: str = ""
    theme_other: str = ""
    tools: str = ""
    participant_count: int | None = None
    materials: str = ""
    presents_catalogue: bool = False
    participant_ids: list[int] = field(default_factory=list)


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def school_members(school):
    """The people of the school who may be ticked as participants, by name."""
    return (
        SchoolMembership.objects.filter(school=school, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__pk")
    )


def _text(value, label, max_length, *, required=False, multiline=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Indiquez %(what)s.") % {"what": label})
    if len(value) > max_length:
        raise ValidationError(_("%(what)s dépasse %(n)d caractères.") % {"what": label.capitalize(), "n": max_length})
    if first_forbidden_character(value, multiline=multiline) >= 0:
        raise ValidationError(_("%(what)s contient un caractère interdit.") % {"what": label.capitalize()})
    return value


def _clean(school, data: WorkshopInput, workshop=None) -> dict:
    """The values to write, or the first problem as a French sentence."""
    if data.held_on is None:
        raise ValidationError(_("Indiquez la date de la séance."))
    today = timezone.localdate()
    earliest = datetime.date(int(school_year_of(today)[:4]) - 1, 9, 1)
    if data.held_on < earliest or data.held_on > today + AHEAD:
        raise ValidationError(
            _("La date doit être comprise entre le %(first)s et le %(last)s.")
            % {"first": formats.day(earliest), "last": formats.day(today + AHEAD)}
        )
    theme = themes.theme(data.theme or "")
    if theme is None:
        raise ValidationError(_("Choisissez un thème de la liste."))
    theme_other = ""
    if theme.other:
        theme_other = _text(data.theme_other, _("le thème (« Autre thème »)"), 120, required=True)
    if data.kind not in SessionKind.values:
        raise ValidationError(_("Choisissez la nature de la séance : atelier, formation ou présentation."))
    if not isinstance(data.duration_minutes, int) or not 1 <= data.duration_minutes <= MAX_MINUTES:
        raise ValidationError(_("La durée doit être comprise entre 1 minute et 24 heures."))
    audiences = list(dict.fromkeys(data.audiences or []))
    if not audiences:
        raise ValidationError(_("Choisissez au moins un public : enseignants, élèves, parents ou personnels."))
    if any(code not in Audience.values for code in audiences):
        raise ValidationError(_("Ce public n'est pas dans la liste : enseignants, élèves, parents ou personnels."))
    count = data.participant_count
    if count is not None and (not isinstance(count, int) or not 0 <= count <= MAX_COUNT):
        raise ValidationError(_("Le nombre de participants doit être compris entre 0 et %(n)d.") % {"n": MAX_COUNT})
    ids = list(dict.fromkeys(data.participant_ids or []))
    if len(ids) > MAX_PARTICIPANTS:
        raise ValidationError(_("Une séance compte au plus %(n)d participants nommés.") % {"n": MAX_PARTICIPANTS})
    allowed = set(school_members(school).filter(user_id__in=ids).values_list("user_id", flat=True))
    if workshop is not None:  # someone who has left the school may stay on a past session
        allowed |= set(workshop.participants.filter(user_id__in=ids).values_list("user_id", flat=True))
    if len(allowed) != len(ids):
        raise ValidationError(_("Un des participants cochés n'est pas membre de l'établissement."))
    ordered = [code for code in Audience.values if code in audiences]
    return {
        "held_on": data.held_on,
        "school_year": school_year_of(data.held_on),
        "starts_at": data.starts_at,
        "place": _text(data.place, _("le lieu"), 200),
        "title": _text(data.title, _("l'intitulé"), 200, required=True),
        "kind": data.kind,
        "theme": theme.code,
        "theme_other": theme_other,
        "tools": _text(data.tools, _("les outils et services"), 500),
        "duration_minutes": data.duration_minutes,
        "audiences": ordered,
        "participant_count": count,
        "materials": _text(data.materials, _("les supports"), 3000, multiline=True),
        # The theme that presents the catalogue always does; another may too, when ticked.
        "presents_catalogue": theme.presents_catalogue or bool(data.presents_catalogue),
        "participant_ids": ids,
    }


def _values(workshop, participant_ids=None) -> dict:
    """The audit's picture of a session (names of participants are not copied into the journal)."""
    if participant_ids is None:
        participant_ids = sorted(workshop.participants.values_list("user_id", flat=True))
    return {
        "held_on": workshop.held_on.isoformat(),
        "starts_at": workshop.starts_at.strftime("%H:%M") if workshop.starts_at else "",
        "title": workshop.title,
        "theme": workshop.theme,
        "duration_minutes": workshop.duration_minutes,
        "audiences": list(workshop.audiences),
        "participant_count": workshop.participant_count,
        "participants": len(participant_ids),
        "presents_catalogue": workshop.presents_catalogue,
    }


def _set_participants(workshop, ids) -> None:
    """The members expected become exactly `ids`; those kept keep their presence."""
    current = set(workshop.participants.values_list("user_id", flat=True))
    wanted = set(ids)
    Participant.objects.filter(workshop=workshop, user_id__in=current - wanted).delete()
    Participant.objects.bulk_create([Participant(workshop=workshop, user_id=pk) for pk in ids if pk not in current])


def record_workshop(school, data: WorkshopInput, *, by, workshop=None, seen_revision=None) -> Workshop:
    """Creates a session (`workshop` None) or updates it, with its members expected."""
    require(can_write_workshops(by, school))
    if workshop is not None and workshop.school_id != school.pk:
        raise PermissionDenied
    values = _clean(school, data, workshop)
    ids = values.pop("participant_ids")
    with transaction.atomic():
        if workshop is None:
            workshop = Workshop.objects.create(school=school, created_by=by, **values)
            before = None
        else:
            workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
            if seen_revision is not None and seen_revision != workshop.revision:
                raise StaleWorkshop(STALE)
            before = _values(workshop)
            for name, value in values.items():
                setattr(workshop, name, value)
            workshop.revision += 1
            workshop.save()
        _set_participants(workshop, ids)
        audit.record(AuditAction.WORKSHOP_RECORDED, actor=by, obj=workshop, before=before, after=_values(workshop, ids))
    return workshop


def mark_attendance(workshop, *, by, present_ids, participant_count=None, seen_revision=None) -> Workshop:
    """After the session: who of the members expected came, and how many others did."""
    require(can_write_workshops(by, workshop.school))
    if participant_count is not None and (
        not isinstance(participant_count, int) or not 0 <= participant_count <= MAX_COUNT
    ):
        raise ValidationError(_("Le nombre de participants doit être compris entre 0 et %(n)d.") % {"n": MAX_COUNT})
    with transaction.atomic():
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if seen_revision is not None and seen_revision != locked.revision:
            raise StaleWorkshop(STALE)
        if locked.held_on > timezone.localdate():
            raise ValidationError(
                _("La séance n'a pas encore eu lieu : les présences se relèvent à partir du %(day)s.")
                % {"day": formats.day(locked.held_on)}
            )
        expected = set(locked.participants.values_list("user_id", flat=True))
        present = set(present_ids or [])
        if not present <= expected:
            raise ValidationError(_("Une des personnes cochées n'est pas inscrite à cette séance."))
        before = {
            "present": Participant.objects.filter(workshop=locked, present=True).count(),
            "count": locked.participant_count,
        }
        Participant.objects.filter(workshop=locked).update(present=False)
        Participant.objects.filter(workshop=locked, user_id__in=present).update(present=True)
        locked.participant_count = participant_count
        locked.attendance_marked_at = timezone.now()
        locked.revision += 1
        locked.save(update_fields=["participant_count", "attendance_marked_at", "revision"])
        audit.record(
            AuditAction.WORKSHOP_RECORDED,
            actor=by,
            obj=locked,
            before=before,
            after={"present": len(present), "count": participant_count},
        )
    return locked


def delete_workshop(workshop, *, by) -> None:
    """The session and its list of participants; the journal keeps what it was."""
    require(can_write_workshops(by, workshop.school))
    with transaction.atomic():
        audit.record(AuditAction.WORKSHOP_DELETED, actor=by, obj=workshop, before=_values(workshop))
        workshop.delete()
