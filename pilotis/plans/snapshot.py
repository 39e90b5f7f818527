"""The plan in plain values (no ids to follow but the objectives' keys): the shape of
`PlanVersion.snapshot`, written by one function for the adoption (`services.adopt_plan`) and for the
documents of the live plan (`documents.content`), so that a version adopted prints as the plan
printed that day."""


def action_values(action) -> dict:
    """One action in plain values; `action` has its indicators and contributors prefetched."""
    return {
        "objective": action.objective_id,
        "title": action.title,
        "description": action.description,
        "indicators": sorted(indicator.code for indicator in action.indicators.all()),
        "responsible": action.responsible_label,
        "contributors": sorted(str(person) for person in action.contributors.all()),
        "contributors_text": action.contributors_text,
        "starts_on": action.starts_on.isoformat() if action.starts_on else None,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "means": action.means,
        "cost": None if action.cost is None else str(action.cost),
        "payer": str(action.get_payer_display()) if action.payer else "",
        "success_criteria": action.success_criteria,
        "status": action.status,
        "status_label": str(action.get_status_display()),
    }


def plan_actions(plan):
    """The plan's actions in their order, with what `action_values` reads."""
    return (
        plan.actions.select_related("objective")
        .prefetch_related("indicators", "contributors")
        .order_by("position", "pk")
    )


def serialise_plan(plan) -> dict:
    """The plan's content in plain values (no ids to follow but the objectives' keys): the shape of
    `PlanVersion.snapshot`, so that a version adopted prints as the plan printed that day."""
    objectives = plan.objectives.prefetch_related("targets__indicator").order_by("position", "pk")
    return {
        "title": plan.title,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "objectives": [
            {
                "key": objective.pk,
                "title": objective.title,
                "description": objective.description,
                "targets": [
                    {
                        "indicator": target.indicator.code,
                        "statement": target.indicator.statement,
                        "status": target.status,
                        "status_label": str(target.get_status_display()),
                        "by_year": target.by_year,
                    }
                    for target in sorted(objective.targets.all(), key=lambda t: t.indicator.code)
                ],
            }
            for objective in objectives
        ],
        "actions": [action_values(action) for action in plan_actions(plan)],
    }
