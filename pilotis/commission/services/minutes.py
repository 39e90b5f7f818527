"""The minutes: attendance, text and decisions; a decision made an action of the plan; validation
by the direction and reopening."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.commission.enums import MeetingState, Presence
from pilotis.commission.models import Attendance, CommissionMember, Decision, Meeting
from pilotis.commission.perms import can_run_commission, can_validate_minutes
from pilotis.commission.services._common import (
    _bump,
    _check_locked,
    _check_revision,
    _lock,
    require,
)
from pilotis.commission.services.meetings import current_plan
from pilotis.core import audit, formats
from pilotis.core.enums import AuditAction
from pilotis.plans.services import create_action


@dataclass
class DecisionInput:
    text: str
    pk: int | None = None


def record_minutes(meeting, *, by, seen_revision, attendance: dict, minutes: str, decisions: list) -> Meeting:
    """What was said and decided: `attendance` maps a member's id to a Presence (or "": not recorded),
    `decisions` are DecisionInput in order (one left out is removed, with its link to an action).
    A meeting with its minutes, attendance or decisions is « Tenue »."""
    require(can_run_commission(by, meeting.school))
    if any(value and value not in Presence.values for value in attendance.values()):
        raise ValidationError(_("Présence inconnue."))
    if any(not decision.text.strip() for decision in decisions):
        raise ValidationError(_("Une décision ne peut pas être vide."))
    with transaction.atomic():
        locked = _lock(meeting)
        _check_locked(locked)
        _check_revision(locked, seen_revision)
        members = set(
            CommissionMember.objects.filter(school_id=locked.school_id, pk__in=list(attendance)).values_list(
                "pk", flat=True
            )
        )
        if set(attendance) - members:
            raise ValidationError(_("Une présence désigne une personne qui n'est pas membre de la commission."))
        Attendance.objects.filter(meeting=locked).exclude(
            member_id__in=[pk for pk, value in attendance.items() if value]
        ).delete()
        current = {a.member_id: a for a in Attendance.objects.filter(meeting=locked)}
        for member_id, presence in attendance.items():
            if not presence:
                continue
            row = current.get(member_id)
            if row is None:
                Attendance.objects.create(meeting=locked, member_id=member_id, presence=presence)
            elif row.presence != presence:
                row.presence = presence
                row.save(update_fields=["presence"])
        existing = {d.pk: d for d in Decision.objects.filter(meeting=locked)}
        kept = set()
        for position, data in enumerate(decisions):
            decision = existing.get(data.pk) if data.pk else None
            if decision is None:
                decision = Decision(meeting=locked)
            decision.position, decision.text = position, data.text.strip()
            decision.save()
            kept.add(decision.pk)
        Decision.objects.filter(meeting=locked).exclude(pk__in=kept).delete()
        before = {"state": locked.state, "minutes": len(locked.minutes)}
        locked.minutes = minutes
        if minutes.strip() or decisions or any(attendance.values()):
            locked.state = MeetingState.HELD
        _bump(locked, "minutes", "state")
        audit.record(
            AuditAction.COMMISSION_CHANGED,
            actor=by,
            obj=locked,
            before=before,
            after={"state": locked.state, "minutes": len(minutes), "decisions": len(decisions)},
        )
    return locked


def decision_to_action(decision, *, by):
    """« En faire une action »: the decision becomes an action of the school's current plan, its
    journal saying where it comes from. The record of the meeting is not changed (only the link
    from the decision to its action), so it is allowed once the minutes are validated too."""
    meeting = decision.meeting
    require(can_run_commission(by, meeting.school))
    plan = current_plan(meeting.school)
    if plan is None:
        raise ValidationError(_("L'établissement n'a pas encore de plan d'actions : créez-le d'abord."))
    with transaction.atomic():
        locked = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
        if locked.action_id is not None:
            raise ValidationError(_("Cette décision est déjà une action du plan."))
        text = locked.text.strip()
        title = text.splitlines()[0][:300]
        day = formats.day(timezone.localtime(meeting.starts_at).date())
        action = create_action(
            plan,
            by=by,
            title=title,
            description=text,
            note=_("Décidée en commission numérique le %(day)s.") % {"day": day},
        )
        locked.action = action
        locked.save(update_fields=["action"])
        audit.record(
            AuditAction.COMMISSION_CHANGED, actor=by, obj=meeting, after={"decision": locked.pk, "action": action.pk}
        )
    return action


def validate_minutes(meeting, *, by, seen_revision=None) -> Meeting:
    """« Compte rendu validé »: minutes, attendance, decisions and agenda are locked for everyone."""
    require(can_validate_minutes(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        _check_locked(locked)
        _check_revision(locked, seen_revision)
        if locked.starts_at > timezone.now():
            raise ValidationError(_("La réunion n'a pas encore eu lieu : son compte rendu ne peut pas être validé."))
        before = locked.state
        locked.state = MeetingState.VALIDATED
        locked.validated_by, locked.validated_by_label, locked.validated_at = by, str(by)[:200], timezone.now()
        _bump(locked, "state", "validated_by", "validated_by_label", "validated_at")
        audit.record(
            AuditAction.MINUTES_VALIDATED, actor=by, obj=locked, before={"state": before}, after={"state": locked.state}
        )
    return locked


def reopen_minutes(meeting, *, by) -> Meeting:
    """The direction unlocks validated minutes (audited); the meeting is « Tenue » again."""
    require(can_validate_minutes(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        if not locked.is_locked:
            raise ValidationError(_("Le compte rendu de cette réunion n'est pas validé."))
        locked.state = MeetingState.HELD
        locked.validated_by, locked.validated_by_label, locked.validated_at = None, "", None
        _bump(locked, "state", "validated_by", "validated_by_label", "validated_at")
        audit.record(
            AuditAction.MINUTES_REOPENED,
            actor=by,
            obj=locked,
            before={"state": MeetingState.VALIDATED},
            after={"state": locked.state},
        )
    return locked
