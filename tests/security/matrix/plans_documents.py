"""The permission matrix's rows of the plan's documents (PDF, ODT, the actions' ODS and CSV): whoever
reads school A reads them, everyone else gets a 404; a read changes nothing."""

import datetime


def plan_of_a(w, matrix):
    """School A's plan with one action, adopted once (version 1)."""
    from pilotis.plans import services
    from pilotis.plans.enums import AdoptingBody
    from pilotis.plans.models import Plan, PlanVersion
    from pilotis.plans.snapshot import serialise_plan

    plan = Plan.objects.filter(school=w.school_a).first()
    if plan is not None:
        return plan
    campaign = matrix.open_campaign(w)
    plan = Plan.objects.create(
        school=w.school_a, referential=campaign.referential, first_year="2026-2027", last_year="2027-2028"
    )
    services.create_action(plan, by=w.chef_a, title="Former l'équipe à l'ENT", due_on=datetime.date(2027, 6, 30))
    plan.refresh_from_db()
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        plan_revision=plan.revision,
        body=AdoptingBody.BOARD,
        adopted_on=datetime.date(2026, 11, 20),
        adopted_by=w.chef_a,
        adopted_by_label=str(w.chef_a),
        snapshot=serialise_plan(plan),
    )
    return plan


def snapshot():
    from pilotis.plans.models import Action, ActionEvent, Plan, PlanVersion

    return (
        sorted(Plan.objects.values_list("pk", "revision", "adopted_revision")),
        sorted(PlanVersion.objects.values_list("pk", "number")),
        sorted(Action.objects.values_list("pk", "status", "revision")),
        ActionEvent.objects.count(),
    )


def extend(matrix):
    def plan_args(w):
        return [w.school_a.uai, plan_of_a(w, matrix).pk]

    def version_args(w):
        return [*plan_args(w), 1]

    readers = matrix.statuses(404, s200=matrix.SCHOOL_A_READERS)
    matrix.MATRIX.update(
        {
            "plans:plan_pdf": ("get", plan_args, None, readers),
            "plans:plan_odt": ("get", plan_args, None, readers),
            "plans:version_pdf": ("get", version_args, None, readers),
            "plans:version_odt": ("get", version_args, None, readers),
            "plans:actions_export": ("get", lambda w: [*plan_args(w), "ods"], None, readers),
        }
    )
    matrix.GUARDS.update(
        dict.fromkeys(
            ["plans:plan_pdf", "plans:plan_odt", "plans:version_pdf", "plans:version_odt", "plans:actions_export"],
            ("plan:read",),
        )
    )
    matrix.SNAPSHOTS.extend([snapshot])
