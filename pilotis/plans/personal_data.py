"""What the plan holds about a person (core.personal_data): the actions they are responsible for or
contribute to, the journal entries they wrote, the versions they adopted; and, when their account is
anonymised, their name kept as text on those rows."""

from django.db.models import Q
from django.utils.translation import gettext as _

from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when
from pilotis.plans.models import Action, ActionEvent, PlanVersion


@section("plan_actions", lambda: _("Actions des plans d'actions (responsable ou contributeur)"), 60)
def actions(user) -> list[dict]:
    rows = (
        Action.objects.filter(Q(responsible=user) | Q(contributors=user))
        .distinct()
        .select_related("school")
        .order_by("created_at", "pk")
    )
    return [
        {
            _("établissement"): action.school.name,
            _("action"): action.title,
            _("rôle"): _("responsable") if action.responsible_id == user.pk else _("contributeur"),
            _("état"): str(action.get_status_display()),
            _("échéance"): when(action.due_on),
        }
        for action in rows
    ]


@section(
    "plan_journal", lambda: _("Plans d'actions : les changements d'état que vous avez notés au journal des actions"), 61
)
def journal(user) -> list[dict]:
    return [
        {
            _("établissement"): event.action.school.name,
            _("action"): event.action.title,
            _("le"): when(event.at),
            _("avant"): str(event.get_status_before_display()) if event.status_before else "",
            _("après"): str(event.get_status_after_display()),
            _("note"): event.note,
        }
        for event in ActionEvent.objects.filter(by=user).select_related("action__school").order_by("at", "pk")
    ]


@section("plan_versions", lambda: _("Plans d'actions que vous avez validés"), 62)
def versions(user) -> list[dict]:
    return [
        {
            _("établissement"): version.plan.school.name,
            _("plan"): version.plan.title,
            _("version"): version.number,
            _("instance"): str(version.get_body_display()),
            _("date de l'instance"): when(version.adopted_on),
            _("validé le"): when(version.adopted_at),
        }
        for version in PlanVersion.objects.filter(adopted_by=user).select_related("plan__school").order_by("pk")
    ]


@anonymiser("plans")
def forget(user) -> None:
    label = str(ANONYMOUS_LABEL)
    ActionEvent.objects.filter(by=user).update(by_label=label)
    Action.objects.filter(responsible=user).update(responsible_label=label)
    PlanVersion.objects.filter(adopted_by=user).update(adopted_by_label=label)
    # The adopted versions keep the action's people by name: their copies lose it too.
    name = str(user)
    served = Action.objects.filter(Q(responsible=user) | Q(contributors=user)).values("plan_id")
    for version in PlanVersion.objects.filter(plan_id__in=served):
        for row in version.snapshot.get("actions", []):
            if row.get("responsible") == name:
                row["responsible"] = label
            row["contributors"] = [label if person == name else person for person in row.get("contributors", [])]
        version.save(update_fields=["snapshot"])
