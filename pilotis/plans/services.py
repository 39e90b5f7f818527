"""Every write of the action plan, each in a transaction with its audit row. Each service checks its
author itself (`PermissionDenied`), whatever the view did, and refuses bad input with a
`ValidationError` in French before writing anything."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, ActionEvent, Plan
from pilotis.plans.perms import can_update_status, can_write_plan


class StaleAction(ValidationError):
    """The action changed since the author's page was loaded: nothing was written."""


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def touch_plan(plan_id) -> None:
    """Every change of the plan's content moves its revision: a plan changed after its adoption is
    the next version in preparation."""
    Plan.objects.filter(pk=plan_id).update(revision=F("revision") + 1, updated_at=timezone.now())


def check_indicators(plan, indicators) -> None:
    """An action's or an objective's indicators are those of the plan's referential."""
    wrong = [indicator.code for indicator in indicators if indicator.version_id != plan.referential_id]
    if wrong:
        raise ValidationError(
            _("Ces indicateurs ne sont pas dans le référentiel du plan : %(codes)s.") % {"codes": ", ".join(wrong)}
        )


def create_action(plan, *, by, title, indicators=(), status=ActionStatus.TODO, note="", **fields) -> Action:
    """Adds an action to the plan (from a suggestion, a priority or a commission's decision);
    `fields` are the model's other fields. The first journal entry records its creation."""
    require(can_write_plan(by, plan.school))
    check_indicators(plan, indicators)
    responsible = fields.get("responsible")
    if responsible is not None and not _is_member(responsible, plan.school):
        raise ValidationError(_("Le responsable doit être un membre de l'établissement."))
    starts_on, due_on = fields.get("starts_on"), fields.get("due_on")
    if starts_on and due_on and due_on < starts_on:
        raise ValidationError(_("L'échéance doit suivre la date de début."))
    with transaction.atomic():
        action = Action(plan=plan, school_id=plan.school_id, title=title, status=status, created_by=by, **fields)
        if responsible is not None and not action.responsible_label:
            action.responsible_label = str(responsible)[:200]
        if status == ActionStatus.DONE:
            action.done_on = timezone.localdate()
        action.full_clean(exclude=["plan", "school", "objective", "suggestion", "responsible", "created_by"])
        action.save()
        if indicators:
            action.indicators.set(indicators)
        ActionEvent.objects.create(action=action, by=by, by_label=str(by)[:200], status_after=status, note=note)
        touch_plan(plan.pk)
        audit.record(AuditAction.ACTION_CREATED, actor=by, obj=action, after={"title": title, "status": status})
    return action


def change_status(action, *, by, status, note="", seen_revision=None) -> Action:
    """Moves the action to `status` and writes the journal (who, when, before → after, the note).
    `seen_revision`: the revision the author's page showed; if the action changed since, nothing is
    written (`StaleAction`)."""
    require(can_update_status(by, action))
    if status not in ActionStatus.values:
        raise ValidationError(_("État inconnu."))
    with transaction.atomic():
        locked = Action.objects.select_for_update(of=("self",)).select_related("school").get(pk=action.pk)
        if seen_revision is not None and seen_revision != locked.revision:
            raise StaleAction(
                _(
                    "L'action a été modifiée depuis l'affichage de cette page : rechargez-la. "
                    "Votre note n'a pas été enregistrée ; la voici pour la reprendre : %(note)s"
                )
                % {"note": note or "—"}
            )
        before = locked.status
        if before == status:
            raise ValidationError(_("L'action est déjà dans cet état."))
        locked.status = status
        locked.done_on = timezone.localdate() if status == ActionStatus.DONE else None
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "done_on", "revision", "updated_at"])
        ActionEvent.objects.create(
            action=locked, by=by, by_label=str(by)[:200], status_before=before, status_after=status, note=note
        )
        touch_plan(locked.plan_id)
        audit.record(
            AuditAction.ACTION_STATUS_CHANGED, actor=by, obj=locked, before={"status": before}, after={"status": status}
        )
    return locked


def _is_member(user, school) -> bool:
    return SchoolMembership.objects.filter(user=user, school=school).exists()
