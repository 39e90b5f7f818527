"""Meetings: what they may point to (the plan's actions, the referential's indicators), their agenda
with « Suivi du plan » pre-filled, their creation, change and deletion."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.assessments.models import Answer, Campaign
from pilotis.commission.enums import MeetingState
from pilotis.commission.models import AgendaItem, Meeting
from pilotis.commission.perms import can_run_commission
from pilotis.commission.services._common import (
    DUE_WITHIN,
    FOLLOW_UP_TITLE,
    _bump,
    _check_locked,
    _check_revision,
    _lock,
    require,
    year_bounds,
)
from pilotis.core import audit, formats
from pilotis.core.enums import AuditAction
from pilotis.core.school_years import school_year_of
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, Plan
from pilotis.referential.models import Indicator

# --- What the commission may point to ---------------------------------------------------------------


def agenda_referential_id(school):
    """The referential of the school's current campaign (or, between campaigns, its académie's
    latest one): an agenda item's indicators are that version's."""
    academy_id = school.department.academy_id
    campaign = (
        Campaign.objects.current_for(academy_id) or Campaign.objects.started().filter(academy_id=academy_id).first()
    )
    return campaign.referential_id if campaign else None


def allowed_indicators(school):
    referential_id = agenda_referential_id(school)
    if referential_id is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(version_id=referential_id).order_by("position", "code")


def school_actions(school):
    return Action.objects.filter(school=school).order_by("plan__first_year", "position", "pk")


def current_plan(school) -> Plan | None:
    """The plan covering this school year, else the school's latest."""
    plans = Plan.objects.filter(school=school)
    year = school_year_of(timezone.localdate())
    return plans.covering(year).order_by("-first_year").first() or plans.order_by("-first_year").first()


@dataclass
class ItemInput:
    """One agenda item as typed: `pk` of an existing item, or None for a new one."""

    title: str
    notes: str = ""
    indicators: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    pk: int | None = None


def _check_items(school, items: list[ItemInput]):
    referential_id = agenda_referential_id(school)
    wrong_indicators = sorted({i.code for item in items for i in item.indicators if i.version_id != referential_id})
    if wrong_indicators:
        raise ValidationError(
            _("Ces indicateurs ne sont pas dans le référentiel de la campagne en cours de l'établissement : %(codes)s.")
            % {"codes": ", ".join(wrong_indicators)}
        )
    if any(action.school_id != school.pk for item in items for action in item.actions):
        raise ValidationError(
            _("Un point de l'ordre du jour désigne une action qui n'est pas du plan de l'établissement.")
        )
    if any(not item.title.strip() for item in items):
        raise ValidationError(_("Chaque point de l'ordre du jour a un intitulé."))


# --- Meetings ---------------------------------------------------------------------------------------


def _check_times(starts_at, ends_at):
    if starts_at is None:
        raise ValidationError(_("Indiquez la date et l'heure de la réunion."))
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError(_("La fin de la réunion doit suivre son début."))


def follow_up(school, starts_at, *, exclude_pk=None) -> ItemInput:
    """« Suivi du plan »: the school's unfinished actions due before the meeting's day + 30 days (the
    overdue ones first named so), and the indicators whose answer changed since the last meeting
    before this one (or since the school year began) in that school year's self-assessment: last
    year's answers, given after last year's last meeting, are not this year's news."""
    day = timezone.localtime(starts_at).date()
    actions = list(
        Action.objects.filter(
            school=school, status__in=ActionStatus.unfinished(), due_on__lte=day + DUE_WITHIN
        ).order_by("due_on", "pk")
    )
    previous = (
        Meeting.objects.filter(school=school, starts_at__lt=starts_at)
        .exclude(pk=exclude_pk)
        .order_by("-starts_at")
        .first()
    )
    since = previous.starts_at if previous else year_bounds(school_year_of(day))[0]
    referential_id = agenda_referential_id(school)
    answers = list(
        Answer.objects.filter(
            assessment__school=school,
            assessment__campaign__school_year=school_year_of(day),
            changes__changed_at__gte=since,
        )
        .select_related("indicator")
        .distinct()
        .order_by("indicator__code")
    )
    lines = []
    today = timezone.localdate()
    if actions:
        lines.append(_("Actions à échéance ou en retard :"))
        for action in actions:
            late = _(" — en retard") if action.due_on < today else ""
            lines.append(
                _("- %(title)s (échéance le %(day)s, %(status)s%(late)s)")
                % {
                    "title": action.title,
                    "day": formats.day(action.due_on),
                    "status": action.get_status_display(),
                    "late": late,
                }
            )
    else:
        lines.append(_("Aucune action du plan n'arrive à échéance d'ici la réunion."))
    since_words = formats.day(timezone.localtime(since).date())
    if answers:
        lines.append(_("Indicateurs dont la réponse a changé depuis le %(day)s :") % {"day": since_words})
        # One line per answer given, so that a whole self-assessment filled in since reads in a few lines.
        by_status = {}
        for answer in answers:
            by_status.setdefault(answer.get_status_display() or _("sans réponse"), []).append(answer.indicator.code)
        for status, codes in by_status.items():
            lines.append(_("- %(status)s : %(codes)s") % {"status": status, "codes": ", ".join(codes)})
    else:
        lines.append(_("Aucune réponse de l'autodiagnostic n'a changé depuis le %(day)s.") % {"day": since_words})
    return ItemInput(
        title=_(FOLLOW_UP_TITLE),
        notes="\n".join(lines),
        indicators=[answer.indicator for answer in answers if answer.indicator.version_id == referential_id],
        actions=actions,
    )


def create_meeting(school, *, by, starts_at, ends_at=None, place="", visio_url="") -> Meeting:
    """A planned meeting, its agenda pre-filled with « Suivi du plan »."""
    require(can_run_commission(by, school))
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            school=school, starts_at=starts_at, ends_at=ends_at, place=place, visio_url=visio_url, created_by=by
        )
        _write_items(meeting, [follow_up(school, starts_at, exclude_pk=meeting.pk)])
        audit.record(
            AuditAction.COMMISSION_CHANGED,
            actor=by,
            obj=meeting,
            after={"meeting": formats.moment(starts_at), "place": place or visio_url},
        )
    return meeting


def _write_items(meeting, items: list[ItemInput]):
    existing = {item.pk: item for item in meeting.items.all()} if meeting.pk else {}
    kept = set()
    for position, data in enumerate(items):
        item = existing.get(data.pk) if data.pk else None
        if item is None:
            item = AgendaItem(meeting=meeting)
        item.position, item.title, item.notes = position, data.title.strip(), data.notes
        item.save()
        item.indicators.set(data.indicators)
        item.actions.set(data.actions)
        kept.add(item.pk)
    AgendaItem.objects.filter(meeting=meeting).exclude(pk__in=kept).delete()


def update_meeting(meeting, *, by, seen_revision, starts_at, ends_at, place, visio_url, items) -> Meeting:
    """Its date, place and agenda (`items`: ItemInput, in order; an item left out is removed)."""
    require(can_run_commission(by, meeting.school))
    _check_times(starts_at, ends_at)
    _check_items(meeting.school, items)
    with transaction.atomic():
        locked = _lock(meeting)
        _check_locked(locked)
        _check_revision(locked, seen_revision)
        before = {"meeting": formats.moment(locked.starts_at), "place": locked.place or locked.visio_url}
        locked.starts_at, locked.ends_at, locked.place, locked.visio_url = starts_at, ends_at, place, visio_url
        _write_items(locked, items)
        _bump(locked, "starts_at", "ends_at", "place", "visio_url")
        audit.record(
            AuditAction.COMMISSION_CHANGED,
            actor=by,
            obj=locked,
            before=before,
            after={"meeting": formats.moment(starts_at), "place": place or visio_url, "items": len(items)},
        )
    return locked


def deletion_refusal(meeting) -> str:
    if meeting.state != MeetingState.PLANNED or meeting.minutes.strip():
        return _("Seule une réunion prévue, sans compte rendu, peut être supprimée.")
    return ""


def delete_meeting(meeting, *, by) -> None:
    """Only a planned meeting without minutes."""
    require(can_run_commission(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        refusal = deletion_refusal(locked)
        if refusal:
            raise ValidationError(refusal)
        audit.record(
            AuditAction.MEETING_DELETED,
            actor=by,
            obj=locked,
            before={"meeting": formats.moment(locked.starts_at), "place": locked.place or locked.visio_url},
        )
        locked.delete()
