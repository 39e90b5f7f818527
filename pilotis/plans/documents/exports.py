"""The plan's actions as a spreadsheet (ODS) and CSV through `core.exporters`: one row per action with
every field, numbered as in the plan's PDF and ODT, with the journal's last change."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.exporters import Column, Exporter, safe_filename
from pilotis.plans.documents.content import document_order
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import ActionEvent
from pilotis.plans.snapshot import action_values


class ActionsExport(Exporter):
    columns = (
        Column("number", gettext_lazy("N°"), "1.4cm"),
        Column("title", gettext_lazy("Action"), "7cm"),
        Column("objective", gettext_lazy("Objectif"), "5cm"),
        Column("description", gettext_lazy("Description"), "8cm"),
        Column("indicators", gettext_lazy("Indicateurs servis"), "3.5cm"),
        Column("responsible", gettext_lazy("Responsable"), "4cm"),
        Column("contributors", gettext_lazy("Contributeurs"), "5cm"),
        Column("starts_on", gettext_lazy("Début"), "3.2cm"),
        Column("due_on", gettext_lazy("Échéance"), "3.2cm"),
        Column("means", gettext_lazy("Moyens et ressources"), "6cm"),
        Column("cost", gettext_lazy("Coût estimé (€)"), "2.8cm"),
        Column("payer", gettext_lazy("Financement"), "3cm"),
        Column("success_criteria", gettext_lazy("Critères de réussite"), "6cm"),
        Column("status", gettext_lazy("État"), "2.8cm"),
        Column("overdue", gettext_lazy("En retard"), "2cm"),
        Column("done_on", gettext_lazy("Réalisée le"), "3.2cm"),
        Column("last_change_on", gettext_lazy("Dernier changement d’état le"), "4cm"),
        Column("last_change_by", gettext_lazy("Par"), "4cm"),
        Column("last_change", gettext_lazy("Changement"), "4.5cm"),
        Column("last_change_note", gettext_lazy("Note du changement"), "7cm"),
    )

    def __init__(self, plan, *, today):
        self.plan = plan
        self.today = today
        # A sheet's name has at most 31 characters: « Actions 2026-2027–2027-2028 ».
        self.title = _("Actions %(years)s") % {"years": plan_years_text(plan)}

    def rows(self):
        actions = list(
            self.plan.actions.select_related("objective")
            .prefetch_related(
                "indicators",
                "contributors",
                Prefetch("events", queryset=ActionEvent.objects.order_by("at", "pk"), to_attr="journal"),
            )
            .order_by("position", "pk")
        )
        values = [action_values(action) for action in actions]
        objectives = list(self.plan.objectives.order_by("position", "pk").values_list("pk", "title"))
        titles = dict(objectives)
        order = document_order([pk for pk, _title in objectives], values)
        for number, index in enumerate(order, start=1):
            action, value = actions[index], values[index]
            last = action.journal[-1] if action.journal else None
            contributors = [*value["contributors"]] + (
                [value["contributors_text"]] if value["contributors_text"] else []
            )
            yield {
                "number": f"A{number}",
                "title": action.title,
                "objective": titles.get(action.objective_id, ""),
                "description": action.description,
                "indicators": ", ".join(value["indicators"]),
                "responsible": action.responsible_label,
                "contributors": ", ".join(contributors),
                "starts_on": action.starts_on,
                "due_on": action.due_on,
                "means": action.means,
                "cost": action.cost,
                "payer": value["payer"],
                "success_criteria": action.success_criteria,
                "status": value["status_label"],
                "overdue": _("En retard") if _overdue(action, self.today) else "",
                "done_on": action.done_on,
                "last_change_on": _local(last.at) if last else None,
                "last_change_by": last.by_label if last else "",
                "last_change": _change(last) if last else "",
                "last_change_note": last.note if last else "",
            }


def _local(moment):
    """Exporters take naive local times."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _overdue(action, today) -> bool:
    return action.status in ActionStatus.unfinished() and action.due_on is not None and action.due_on < today


def _change(event) -> str:
    after = str(ActionStatus(event.status_after).label) if event.status_after in ActionStatus.values else ""
    if not event.status_before:
        return _("Création : %(after)s") % {"after": after}
    before = str(ActionStatus(event.status_before).label) if event.status_before in ActionStatus.values else ""
    return f"{before} → {after}"


def plan_years_text(plan) -> str:
    return plan.first_year if plan.first_year == plan.last_year else f"{plan.first_year}–{plan.last_year}"


def actions_filename(plan, extension: str) -> str:
    """`actions-du-plan-0400001A-2026-2027-2027-2028.ods`: the UAI and the years."""
    parts = ["actions-du-plan", plan.school.uai, plan.first_year]
    if plan.last_year != plan.first_year:
        parts.append(plan.last_year)
    return safe_filename(*parts, extension=extension)
