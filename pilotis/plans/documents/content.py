"""What the plan's documents say, once for the PDF and the ODT: the school, the adoption, the
objectives with their targeted indicators, the actions, the timeline, the costs per payer and the
indicators aimed at, as plain values with the titles and sentences both formats print.

Both the live plan and an adopted version feed the same function, `document_content`, with the
snapshot's shape (`PlanVersion.snapshot`): `serialise_plan` writes the live plan in that shape, so
that a version prints exactly as the council adopted it.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.core.exporters import safe_filename
from pilotis.core.formats import day, euros
from pilotis.plans.documents.timeline import timeline
from pilotis.plans.enums import ActionStatus, Payer
from pilotis.plans.snapshot import serialise_plan

DOCUMENT_KIND = gettext_lazy("Volet numérique du projet d’établissement")
# Abandoned actions will not be paid for: the totals leave them out, and say so.
UNCOSTED_STATUSES = (ActionStatus.ABANDONED,)


# --- Reading the snapshot --------------------------------------------------------------------------


def school_years(first_year: str, last_year: str) -> list[str]:
    start, end = int(first_year[:4]), int(last_year[:4])
    return [f"{year}-{year + 1}" for year in range(start, max(start, end) + 1)]


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def document_order(objective_keys: list, actions: list[dict]) -> list[int]:
    """The actions' indexes as the documents list them: objective by objective, in the objectives'
    order, then the actions tied to none; within each, the plan's order. Every document numbers the
    actions A1, A2… in this order."""
    rank = {key: index for index, key in enumerate(objective_keys)}
    return sorted(range(len(actions)), key=lambda i: (rank.get(actions[i].get("objective"), len(rank)), i))


def _when(starts_on, due_on) -> str:
    if starts_on and due_on:
        return _("du %(start)s au %(end)s") % {"start": day(starts_on), "end": day(due_on)}
    if due_on:
        return _("échéance le %(day)s") % {"day": day(due_on)}
    if starts_on:
        return _("à partir du %(day)s") % {"day": day(starts_on)}
    return _("Non daté")


def _action(number: int, values: dict, as_of: datetime.date) -> dict:
    starts_on, due_on = _date(values.get("starts_on")), _date(values.get("due_on"))
    status = values.get("status", "")
    cost = _amount(values.get("cost"))
    contributors = [*values.get("contributors", [])]
    if values.get("contributors_text"):
        contributors.append(values["contributors_text"])
    overdue = status in ActionStatus.unfinished() and due_on is not None and due_on < as_of
    return {
        "number": f"A{number}",
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "objective": values.get("objective"),
        "indicators": list(values.get("indicators", [])),
        "responsible": values.get("responsible", ""),
        "contributors": ", ".join(contributors),
        "starts_on": starts_on,
        "due_on": due_on,
        "when": _when(starts_on, due_on),
        "means": values.get("means", ""),
        "cost": cost,
        "cost_text": euros(cost) if cost is not None else "",
        "payer": values.get("payer", ""),
        "success_criteria": values.get("success_criteria", ""),
        "status": status,
        "status_label": values.get("status_label")
        or (str(ActionStatus(status).label) if status in ActionStatus.values else status),
        "overdue": overdue,
    }


def _costs(actions: list[dict]) -> dict:
    """Totals per payer, in the payers' order, of the actions not abandoned; a cost without a payer
    counts under « Non précisé »."""
    order = [str(label) for label in Payer.labels]
    unknown = _("Non précisé")
    totals: dict[str, dict] = {}
    for action in actions:
        if action["cost"] is None or action["status"] in UNCOSTED_STATUSES:
            continue
        payer = action["payer"] or unknown
        row = totals.setdefault(payer, {"payer": payer, "count": 0, "total": Decimal(0)})
        row["count"] += 1
        row["total"] += action["cost"]
    rows = sorted(totals.values(), key=lambda r: order.index(r["payer"]) if r["payer"] in order else len(order))
    for row in rows:
        row["total_text"] = euros(row["total"])
    total = sum((row["total"] for row in rows), Decimal(0))
    return {
        "rows": rows,
        "total": total,
        "total_text": euros(total),
        "uncosted": sum(1 for a in actions if a["cost"] is None and a["status"] not in UNCOSTED_STATUSES),
    }


def _indicators(objectives: list[dict], actions: list[dict]) -> list[dict]:
    """Every indicator the plan aims at: those its objectives target (status and year aimed at), then
    those only its actions serve; each with the actions that serve it."""
    serving: dict[str, list[str]] = {}
    for action in actions:
        for code in action["indicators"]:
            serving.setdefault(code, []).append(action["number"])
    rows, seen = [], set()
    for objective in objectives:
        for target in objective["targets"]:
            code = target["indicator"]
            rows.append(
                {
                    "code": code,
                    "statement": target.get("statement", ""),
                    "aimed": target.get("status_label", ""),
                    "by_year": target.get("by_year", ""),
                    "objective": objective["number"],
                    "actions": ", ".join(serving.get(code, [])) or "—",
                }
            )
            seen.add(code)
    for code in sorted(set(serving) - seen):
        rows.append(
            {
                "code": code,
                "statement": "",
                "aimed": "",
                "by_year": "",
                "objective": "",
                "actions": ", ".join(serving[code]),
            }
        )
    return rows


def _school(school) -> dict:
    return {
        "name": school.name,
        "uai": school.uai,
        "commune": school.commune,
        "academy": str(school.department.academy),
    }


def titles() -> dict:
    return {
        "kind": str(DOCUMENT_KIND),
        "objectives": _("Objectifs et indicateurs visés"),
        "actions": _("Actions"),
        "timeline": _("Calendrier des actions"),
        "costs": _("Coûts estimés par financeur"),
        "indicators": _("Indicateurs visés"),
        "other_actions": _("Actions sans objectif"),
        "target_columns": [_("Code"), _("Indicateur"), _("État visé"), _("D’ici")],
        "cost_columns": [_("Financeur"), _("Actions"), _("Coût estimé")],
        "indicator_columns": [_("Code"), _("Indicateur"), _("État visé"), _("D’ici"), _("Objectif"), _("Actions")],
        "fields": {
            "responsible": _("Responsable"),
            "contributors": _("Contributeurs"),
            "when": _("Période"),
            "indicators": _("Indicateurs servis"),
            "means": _("Moyens et ressources"),
            "cost": _("Coût estimé et financement"),
            "success_criteria": _("Critères de réussite"),
            "description": _("Description"),
            "status": _("État"),
        },
    }


def empty() -> dict:
    return {
        "objectives": _("Le plan n’a pas encore d’objectif."),
        "targets": _("Aucun indicateur visé pour cet objectif."),
        "actions": _("Le plan n’a pas encore d’action."),
        "field": _("Non précisé"),
        "timeline": _("Aucune action n’est datée : le calendrier se remplira avec les dates des actions."),
        "costs": _("Aucun coût n’est estimé."),
        "indicators": _("Aucun indicateur n’est visé."),
    }


def document_content(school, snapshot: dict, *, adoption: dict, as_of: datetime.date) -> dict:
    """The documents' content from a plan in the snapshot's shape. `adoption`: `adopted` (bool),
    `text` (the instance and the date, or « Projet — non adopté »), `version` (number or None);
    `as_of`: the day the overdue actions are counted at (today, or the day of the adoption)."""
    first_year = snapshot.get("first_year", "")
    last_year = snapshot.get("last_year", "") or first_year
    years = school_years(first_year, last_year) if first_year else []
    objectives_in = snapshot.get("objectives", [])
    actions_in = snapshot.get("actions", [])
    order = document_order([o.get("key") for o in objectives_in], actions_in)
    actions = [_action(number, actions_in[index], as_of) for number, index in enumerate(order, start=1)]
    objectives = []
    for number, objective in enumerate(objectives_in, start=1):
        objectives.append(
            {
                "number": f"O{number}",
                "key": objective.get("key"),
                "title": objective.get("title", ""),
                "description": objective.get("description", ""),
                "targets": list(objective.get("targets", [])),
                "actions": [
                    a for a in actions if a["objective"] is not None and a["objective"] == objective.get("key")
                ],
            }
        )
    keys = {o["key"] for o in objectives}
    loose = [a for a in actions if a["objective"] not in keys]
    counts = {}
    for action in actions:
        counts[action["status_label"]] = counts.get(action["status_label"], 0) + 1
    labels = [str(label) for label in ActionStatus.labels]
    status_counts = sorted(counts.items(), key=lambda item: labels.index(item[0]) if item[0] in labels else len(labels))
    years_text = ""
    if years:
        years_text = years[0] if len(years) == 1 else _("%(first)s à %(last)s") % {"first": years[0], "last": years[-1]}
    return {
        "school": _school(school),
        "title": snapshot.get("title", ""),
        "first_year": first_year,
        "last_year": last_year,
        "years": years,
        "years_text": years_text,
        "adoption": adoption,
        "as_of": as_of,
        "objectives": objectives,
        "loose_actions": loose,
        "actions": actions,
        "status_counts": status_counts,
        "overdue_count": sum(1 for a in actions if a["overdue"]),
        "timeline": timeline(actions, years, as_of=as_of, show_today=not adoption.get("version_only")),
        "costs": _costs(actions),
        "indicators": _indicators(objectives, actions),
        "titles": titles(),
        "empty": empty(),
        "generated_at": timezone.now(),
    }


def _adoption_of(version) -> dict:
    return {
        "adopted": True,
        "version": version.number,
        "text": _("Adopté par le %(body)s le %(day)s (version %(number)d)")
        % {"body": version.get_body_display().lower(), "day": day(version.adopted_on), "number": version.number},
    }


def plan_content(plan, *, today: datetime.date | None = None) -> dict:
    """The live plan. Adopted and unchanged since: the adoption is printed; otherwise it is a
    project, and the last adopted version (if any) is named."""
    today = today or timezone.localdate()
    latest = plan.versions.order_by("-number").first()
    if latest is not None and plan.adopted_revision == plan.revision:
        adoption = _adoption_of(latest)
    else:
        adoption = {"adopted": False, "version": None, "text": _("Projet — non adopté")}
        if latest is not None:
            adoption["note"] = _(
                "Modifié depuis la version %(number)d, adoptée par le %(body)s le %(day)s ; ces changements ne sont pas encore adoptés."
            ) % {"number": latest.number, "body": latest.get_body_display().lower(), "day": day(latest.adopted_on)}
    return document_content(plan.school, serialise_plan(plan), adoption=adoption, as_of=today)


def snapshot_content(version) -> dict:
    """An adopted version exactly as adopted; its overdue actions are those of the day of the
    instance."""
    adoption = {**_adoption_of(version), "version_only": True}
    return document_content(version.plan.school, version.snapshot or {}, adoption=adoption, as_of=version.adopted_on)


def plan_filename(school, content: dict, extension: str) -> str:
    """`plan-d-actions-0400001A-2026-2027-2027-2028.pdf`, `-version-2` for an adopted version:
    the UAI and the years, never a person."""
    parts = ["plan-d-actions", school.uai, content["first_year"]]
    if content["last_year"] != content["first_year"]:
        parts.append(content["last_year"])
    if content["adoption"].get("version_only"):
        parts += ["version", str(content["adoption"]["version"])]
    return safe_filename(*parts, extension=extension)
