"""Every write of the action plan, each in a transaction with its audit row. Each service checks its
author itself (`PermissionDenied`), whatever the view did, and refuses bad input with a
`ValidationError` in French before writing anything."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.assessments.enums import AnswerStatus
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.school_years import is_school_year
from pilotis.plans.enums import MAX_PLAN_YEARS, ActionStatus, AdoptingBody
from pilotis.plans.models import Action, ActionEvent, Objective, ObjectiveTarget, Plan, PlanVersion
from pilotis.plans.perms import can_adopt_plan, can_update_status, can_write_plan
from pilotis.plans.signals import send_plan_changed
from pilotis.plans.snapshot import serialise_plan


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


def create_action(
    plan, *, by, title, indicators=(), status=ActionStatus.TODO, note="", contributors=(), **fields
) -> Action:
    """Adds an action to the plan (from a suggestion, a priority or a commission's decision);
    `fields` are the model's other fields. The first journal entry records its creation."""
    require(can_write_plan(by, plan.school))
    check_indicators(plan, indicators)
    _check_action_fields(plan, fields, contributors)
    with transaction.atomic():
        action = Action(plan=plan, school_id=plan.school_id, title=title, status=status, created_by=by, **fields)
        responsible = fields.get("responsible")
        if responsible is not None:
            # The name as shown, kept when the account changes; a role written out is for nobody named.
            action.responsible_label = str(responsible)[:200]
        if status == ActionStatus.DONE:
            action.done_on = timezone.localdate()
        action.full_clean(exclude=["plan", "school", "objective", "suggestion", "responsible", "created_by"])
        action.save()
        if indicators:
            action.indicators.set(indicators)
        if contributors:
            action.contributors.set(contributors)
        ActionEvent.objects.create(action=action, by=by, by_label=str(by)[:200], status_after=status, note=note)
        touch_plan(plan.pk)
        send_plan_changed(plan.school_id)
        audit.record(AuditAction.ACTION_CREATED, actor=by, obj=action, after={"title": title, "status": status})
    return action


def change_status(action, *, by, status, note="", seen_revision=None) -> Action:
    """Moves the action to `status` and writes the journal (who, when, before → after, the note).
    `seen_revision`: the revision the author's page showed; if the action changed since, nothing is
    written (`StaleAction`). Following an action is not changing the plan: its status leaves the
    plan's revision alone, so an adopted plan whose actions move on is not « modifié depuis
    l'adoption » (the adopted version keeps the statuses it was adopted with)."""
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
        audit.record(
            AuditAction.ACTION_STATUS_CHANGED, actor=by, obj=locked, before={"status": before}, after={"status": status}
        )
    return locked


def _is_member(user, school) -> bool:
    return SchoolMembership.objects.filter(user=user, school=school).exists()


def _check_action_fields(plan, fields, contributors=()) -> None:
    """What an action's content must respect, whoever writes it: its people are of the school, its
    objective of its plan, its due date after its start."""
    responsible = fields.get("responsible")
    if responsible is not None and not _is_member(responsible, plan.school):
        raise ValidationError(_("Le responsable doit être un membre de l'établissement."))
    if contributors:
        members = set(
            SchoolMembership.objects.filter(school=plan.school, user__in=contributors).values_list("user_id", flat=True)
        )
        strangers = [str(person) for person in contributors if person.pk not in members]
        if strangers:
            raise ValidationError(
                _("Ces contributeurs ne sont pas membres de l'établissement : %(names)s.")
                % {"names": ", ".join(strangers)}
            )
    objective = fields.get("objective")
    if objective is not None and objective.plan_id != plan.pk:
        raise ValidationError(_("Cet objectif appartient à un autre plan."))
    starts_on, due_on = fields.get("starts_on"), fields.get("due_on")
    if starts_on and due_on and due_on < starts_on:
        raise ValidationError(_("L'échéance doit suivre la date de début."))
    cost = fields.get("cost")
    if cost is not None and cost < 0:
        raise ValidationError(_("Le coût estimé ne peut pas être négatif."))


class StalePlan(ValidationError):
    """The plan changed since the confirmation page was shown: nothing was adopted."""


# --- School years -------------------------------------------------------------------------------


def year_after(school_year: str, count: int = 1) -> str:
    start = int(school_year[:4]) + count
    return f"{start}-{start + 1}"


def plan_years(plan) -> list[str]:
    """The plan's school years, in order (« 2026-2027 », « 2027-2028 »)."""
    count = int(plan.last_year[:4]) - int(plan.first_year[:4]) + 1
    return [year_after(plan.first_year, n) for n in range(count)]


def _check_years(school, first_year: str, duration: int, *, exclude_pk=None) -> str:
    """One to three school years, not overlapping another plan of the school: the last year."""
    if not is_school_year(first_year or ""):
        raise ValidationError(_("L'année scolaire doit s'écrire comme « 2026-2027 »."))
    if not 1 <= duration <= MAX_PLAN_YEARS:
        raise ValidationError(
            _("Un plan d'actions couvre d'une à trois années scolaires (ici : %(n)d).") % {"n": duration}
        )
    last_year = year_after(first_year, duration - 1)
    others = Plan.objects.filter(school=school, first_year__lte=last_year, last_year__gte=first_year)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            _("Le plan « %(title)s » couvre déjà les années %(first)s à %(last)s : les plans ne se chevauchent pas.")
            % {"title": other.title, "first": other.first_year, "last": other.last_year}
        )
    return last_year


# --- The plan ------------------------------------------------------------------------------------


def create_plan(school, *, by, first_year, duration, title="", assessment=None) -> Plan:
    """A new plan of one to three school years, built from a validated self-assessment (its
    campaign and referential are the plan's)."""
    require(can_write_plan(by, school))
    if assessment is None or assessment.school_id != school.pk or not assessment.is_validated:
        raise ValidationError(_("Le plan d'actions se prépare à partir d'un autodiagnostic validé."))
    last_year = _check_years(school, first_year, duration)
    with transaction.atomic():
        plan = Plan(
            school=school,
            referential_id=assessment.campaign.referential_id,
            campaign=assessment.campaign,
            first_year=first_year,
            last_year=last_year,
            created_by=by,
        )
        plan.title = title or str(plan.title)  # the model's default is a lazy translation
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            raise ValidationError(_("Un plan commence déjà cette année-là.")) from None
        send_plan_changed(school.pk)
        audit.record(
            AuditAction.PLAN_CREATED,
            actor=by,
            obj=plan,
            after={"title": plan.title, "first_year": first_year, "last_year": last_year},
        )
    return plan


def change_plan(plan, *, by, title, first_year, duration) -> Plan:
    """The plan's title and years. Its objectives' targets must stay within its years."""
    require(can_write_plan(by, plan.school))
    if not title.strip():
        raise ValidationError(_("Donnez un intitulé au plan."))
    last_year = _check_years(plan.school, first_year, duration, exclude_pk=plan.pk)
    outside = sorted(
        set(
            ObjectiveTarget.objects.filter(objective__plan=plan)
            .exclude(by_year__gte=first_year, by_year__lte=last_year)
            .values_list("indicator__code", flat=True)
        )
    )
    if outside:
        raise ValidationError(
            _("Ces indicateurs visés ont une échéance hors des nouvelles années du plan : %(codes)s.")
            % {"codes": ", ".join(outside)}
        )
    before = {"title": plan.title, "first_year": plan.first_year, "last_year": plan.last_year}
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(title=title, first_year=first_year, last_year=last_year)
        touch_plan(plan.pk)
        send_plan_changed(plan.school_id)
        plan.refresh_from_db()
        audit.record(
            AuditAction.PLAN_CHANGED,
            actor=by,
            obj=plan,
            before=before,
            after={"title": title, "first_year": first_year, "last_year": last_year},
        )
    return plan


def prepare_plan(school, *, by, assessment, priorities, plan=None, first_year="", duration=1, title="") -> Plan:
    """« Préparer le plan d'actions »: the plan (created unless given) and one action per chosen
    priority, each `(indicator, suggestion or None)`: pre-filled from the suggestion, or titled
    after the indicator for the team to write."""
    require(can_write_plan(by, school))
    if not priorities:
        raise ValidationError(_("Choisissez au moins une priorité."))
    with transaction.atomic():
        if plan is None:
            plan = create_plan(
                school, by=by, first_year=first_year, duration=duration, title=title, assessment=assessment
            )
        elif plan.school_id != school.pk:
            raise PermissionDenied
        position = (plan.actions.aggregate(top=Max("position"))["top"] or 0) + 1
        for offset, (indicator, suggestion) in enumerate(priorities):
            fields = {"position": position + offset}
            if suggestion is not None:
                if suggestion.indicator_code != indicator.code:
                    raise ValidationError(
                        _("Cette suggestion ne concerne pas l'indicateur %(code)s.") % {"code": indicator.code}
                    )
                fields.update(
                    suggestion=suggestion,
                    description=suggestion.description,
                    means=suggestion.means,
                    success_criteria=suggestion.success_criteria,
                )
                action_title = suggestion.title
            else:
                action_title = _("%(code)s — %(statement)s") % {
                    "code": indicator.code,
                    "statement": indicator.statement,
                }
            create_action(plan, by=by, title=action_title[:300], indicators=[indicator], **fields)
    return plan


# --- Objectives ----------------------------------------------------------------------------------


def save_objective(plan, *, by, title, description="", targets=(), objective=None) -> Objective:
    """Creates or changes an objective and replaces its targets, each `(indicator, status, by_year)`:
    an indicator of the plan's referential, « En cours » or « Réalisé », by one of the plan's years."""
    require(can_write_plan(by, plan.school))
    if objective is not None and objective.plan_id != plan.pk:
        raise ValidationError(_("Cet objectif appartient à un autre plan."))
    if not title.strip():
        raise ValidationError(_("Donnez un intitulé à l'objectif."))
    check_indicators(plan, [indicator for indicator, _status, _year in targets])
    years = plan_years(plan)
    seen = set()
    for indicator, status, by_year in targets:
        if status not in (AnswerStatus.IN_PROGRESS, AnswerStatus.DONE):
            raise ValidationError(_("L'état visé est « En cours de réalisation » ou « Réalisé »."))
        if by_year not in years:
            raise ValidationError(
                _("L'échéance de %(code)s doit être une année du plan (%(years)s).")
                % {"code": indicator.code, "years": ", ".join(years)}
            )
        if indicator.pk in seen:
            raise ValidationError(_("L'indicateur %(code)s est visé deux fois.") % {"code": indicator.code})
        seen.add(indicator.pk)
    with transaction.atomic():
        created = objective is None
        before = None if created else _objective_values(objective)
        if created:
            top = plan.objectives.aggregate(top=Max("position"))["top"] or 0
            objective = Objective.objects.create(plan=plan, title=title, description=description, position=top + 1)
        else:
            objective.title, objective.description = title, description
            objective.save(update_fields=["title", "description"])
            objective.targets.all().delete()
        ObjectiveTarget.objects.bulk_create(
            ObjectiveTarget(objective=objective, indicator=indicator, status=status, by_year=by_year)
            for indicator, status, by_year in targets
        )
        touch_plan(plan.pk)
        send_plan_changed(plan.school_id)
        audit.record(
            AuditAction.PLAN_CHANGED,
            actor=by,
            obj=plan,
            before={"objective": before} if before else None,
            after={"objective": _objective_values(objective)},
        )
    return objective


def _objective_values(objective) -> dict:
    return {
        "title": objective.title,
        "targets": [
            f"{target.indicator.code}:{target.status}:{target.by_year}"
            for target in objective.targets.select_related("indicator").order_by("indicator__code")
        ],
    }


def delete_objective(objective, *, by) -> None:
    """Removes an objective; its actions stay in the plan, « Sans objectif »."""
    plan = objective.plan
    require(can_write_plan(by, plan.school))
    with transaction.atomic():
        before = _objective_values(objective)
        objective.delete()
        touch_plan(plan.pk)
        send_plan_changed(plan.school_id)
        audit.record(AuditAction.PLAN_CHANGED, actor=by, obj=plan, before={"objective": before}, after={})


# --- Actions -------------------------------------------------------------------------------------

# The fields of an action a writer edits (its status moves through `change_status` only).
ACTION_FIELDS = (
    "title",
    "description",
    "objective",
    "responsible",
    "responsible_label",
    "contributors_text",
    "starts_on",
    "due_on",
    "means",
    "cost",
    "payer",
    "success_criteria",
)


def _action_values(action, indicators, contributors) -> dict:
    values = {}
    for name in ACTION_FIELDS:
        value = getattr(action, f"{name}_id" if name in ("objective", "responsible") else name)
        values[name] = value.isoformat() if isinstance(value, datetime.date) else value
    values["cost"] = None if action.cost is None else str(action.cost)
    values["indicators"] = sorted(indicator.code for indicator in indicators)
    values["contributors"] = sorted(person.pk for person in contributors)
    return values


def update_action(action, *, by, seen_revision, indicators=(), contributors=(), **fields) -> Action:
    """Changes an action's content (`fields`: those of `ACTION_FIELDS`). `seen_revision`: the
    revision the author's form showed; if the action changed since, nothing is written
    (`StaleAction`) and the form shows the author's values back."""
    plan = action.plan
    require(can_write_plan(by, plan.school))
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not an action's field: {sorted(unknown)}")
    if not (fields.get("title") or "").strip():
        raise ValidationError(_("Donnez un intitulé à l'action."))
    check_indicators(plan, indicators)
    _check_action_fields(plan, fields, contributors)
    with transaction.atomic():
        locked = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
        if seen_revision != locked.revision:
            raise StaleAction(
                _(
                    "Quelqu'un a modifié cette action depuis que vous avez ouvert le formulaire : rien n'a été "
                    "enregistré. Vos saisies sont reprises ci-dessous ; comparez avec la fiche de l'action, "
                    "puis enregistrez à nouveau."
                )
            )
        before = _action_values(locked, locked.indicators.all(), locked.contributors.all())
        responsible = fields.get("responsible")
        if responsible is not None:
            fields["responsible_label"] = str(responsible)[:200]
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.revision += 1
        locked.updated_at = timezone.now()
        locked.full_clean(exclude=["plan", "school", "objective", "suggestion", "responsible", "created_by"])
        locked.save()
        locked.indicators.set(indicators)
        locked.contributors.set(contributors)
        touch_plan(plan.pk)
        send_plan_changed(plan.school_id)
        after = _action_values(locked, indicators, contributors)
        changed = [name for name in after if after[name] != before[name]]
        audit.record(
            AuditAction.ACTION_CHANGED,
            actor=by,
            obj=locked,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return locked


def delete_action(action, *, by) -> None:
    """Removes an action and its journal (the audit keeps its title and status)."""
    require(can_write_plan(by, action.school))
    with transaction.atomic():
        before = {"title": action.title, "status": action.status, "events": action.events.count()}
        plan_id = action.plan_id
        audit.record(AuditAction.ACTION_DELETED, actor=by, obj=action, before=before, after={})
        action.delete()
        touch_plan(plan_id)
        send_plan_changed(action.school_id)


def postpone_action(action, *, by, due_on, note, seen_revision=None) -> Action:
    """« Reporter » an unfinished action at a new campaign: « Reportée » in its journal with the
    note, and its new due date. A writer puts it back « En cours » when work resumes."""
    require(can_write_plan(by, action.school))
    if due_on is None:
        raise ValidationError(_("Donnez la nouvelle échéance de l'action."))
    if due_on < timezone.localdate():
        raise ValidationError(_("La nouvelle échéance doit être à venir."))
    if action.starts_on and due_on < action.starts_on:
        raise ValidationError(_("L'échéance doit suivre la date de début."))
    if not note.strip():
        raise ValidationError(_("Dites en une note pourquoi l'action est reportée."))
    with transaction.atomic():
        before_due = action.due_on
        locked = change_status(action, by=by, status=ActionStatus.POSTPONED, note=note, seen_revision=seen_revision)
        Action.objects.filter(pk=locked.pk).update(due_on=due_on)
        locked.due_on = due_on
        touch_plan(locked.plan_id)  # a new due date changes what the plan says
        audit.record(
            AuditAction.ACTION_CHANGED,
            actor=by,
            obj=locked,
            before={"due_on": before_due.isoformat() if before_due else None},
            after={"due_on": due_on.isoformat()},
        )
    return locked


def abandon_action(action, *, by, note, seen_revision=None) -> Action:
    """« Abandonner » an unfinished action at a new campaign, with the note saying why."""
    require(can_write_plan(by, action.school))
    if not note.strip():
        raise ValidationError(_("Dites en une note pourquoi l'action est abandonnée."))
    return change_status(action, by=by, status=ActionStatus.ABANDONED, note=note, seen_revision=seen_revision)


# --- Adoption ------------------------------------------------------------------------------------


def earliest_adoption(plan) -> datetime.date:
    """An instance may adopt the plan up to a year before its first school year starts."""
    return datetime.date(int(plan.first_year[:4]) - 1, 9, 1)


def adopt_plan(plan, *, by, body, adopted_on, seen_revision) -> PlanVersion:
    """« Valider le plan »: the direction records the instance that adopted it and when. The plan
    as it is becomes the next version (`PlanVersion`, its content copied), and the plan's adopted
    revision is the current one. A plan changed since the page was shown is not adopted
    (`StalePlan`)."""
    require(can_adopt_plan(by, plan.school))
    if body not in AdoptingBody.values:
        raise ValidationError(_("Choisissez l'instance qui a adopté le plan."))
    if adopted_on is None:
        raise ValidationError(_("Donnez la date de l'instance."))
    if adopted_on > timezone.localdate():
        raise ValidationError(_("La date de l'instance ne peut pas être dans le futur."))
    if adopted_on < earliest_adoption(plan):
        raise ValidationError(
            _("La date de l'instance est trop ancienne pour un plan qui commence en %(year)s.")
            % {"year": plan.first_year}
        )
    with transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("school").get(pk=plan.pk)
        if seen_revision != locked.revision:
            raise StalePlan(
                _("Le plan a changé depuis l'affichage de cette page : relisez ce qui sera adopté, puis validez.")
            )
        if locked.adopted_revision == locked.revision:
            raise ValidationError(_("Cette version du plan est déjà adoptée."))
        number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = PlanVersion.objects.create(
            plan=locked,
            number=number,
            plan_revision=locked.revision,
            body=body,
            adopted_on=adopted_on,
            adopted_by=by,
            adopted_by_label=str(by)[:200],
            snapshot=plan_snapshot(locked),
        )
        Plan.objects.filter(pk=locked.pk).update(adopted_revision=locked.revision)
        send_plan_changed(locked.school_id)
        audit.record(
            AuditAction.PLAN_ADOPTED,
            actor=by,
            obj=locked,
            after={"version": number, "body": body, "adopted_on": adopted_on.isoformat()},
        )
    return version


def plan_snapshot(plan) -> dict:
    """The plan's content in plain values (no ids to follow): what a council adopted stays as it was."""
    return serialise_plan(plan)
