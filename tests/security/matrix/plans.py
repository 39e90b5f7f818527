"""The permission matrix's rows of the action plan's pages: `extend(matrix)` adds them (the matrix
module is given, with its helpers: `matrix.statuses`, `matrix.school_a`, `matrix.SCHOOL_A_READERS`…).

School A's plan is built from its validated self-assessment (the mini referential); its action is
the member's (`member_a` is named responsible), so that the status row shows the responsible member
allowed where the rest of the team is not."""

import datetime

from pilotis.plans import services
from pilotis.plans.models import Action, ActionEvent, Objective, Plan, PlanVersion
from pilotis.referential.models import Indicator


def plan_of_a(matrix, w):
    plan = Plan.objects.filter(school=w.school_a).first()
    if plan is None:
        matrix.assessment_of_a(w, validated=True)
        assessment = w.school_a.assessments.get()
        plan = services.create_plan(w.school_a, by=w.chef_a, first_year=matrix.YEAR, duration=2, assessment=assessment)
        objective = services.save_objective(
            plan,
            by=w.chef_a,
            title="Piloter le numérique",
            targets=[(_indicator(plan, "PIL.1.02"), "realise", matrix.YEAR)],
        )
        services.create_action(
            plan,
            by=w.chef_a,
            title="Réunir la commission numérique",
            indicators=[_indicator(plan, "PIL.2.01")],
            responsible=w.member_a,
            objective=objective,
            due_on=datetime.date(2027, 3, 1),
        )
        plan.refresh_from_db()
    return plan


def _indicator(plan, code):
    return Indicator.objects.get(version_id=plan.referential_id, code=code)


def extend(matrix):
    readers = matrix.SCHOOL_A_READERS
    writers = matrix.FILLERS_A
    direction = matrix.DIRECTION_A

    def plan_args(w):
        return [w.school_a.uai, plan_of_a(matrix, w).pk]

    def action_args(w):
        return [w.school_a.uai, Action.objects.filter(plan=plan_of_a(matrix, w)).first().pk]

    def objective_args(w):
        return [w.school_a.uai, Objective.objects.filter(plan=plan_of_a(matrix, w)).first().pk]

    def version_args(w):
        plan = plan_of_a(matrix, w)
        version = plan.versions.first() or services.adopt_plan(
            plan, by=w.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
        )
        return [w.school_a.uai, plan.pk, version.number]

    def validated(w):
        matrix.assessment_of_a(w, validated=True)
        return [w.school_a.uai]

    def prepare_data(w):
        indicator = Indicator.objects.get(version__version="test-1", code="PIL.1.02")
        return {"priorities": [f"{indicator.pk}-0"], "first_year": matrix.YEAR, "duration": "1", "title": "Plan"}

    def plan_data(w):
        return {"title": "Plan numérique", "first_year": matrix.YEAR, "duration": "3"}

    def objective_data(w):
        indicator = Indicator.objects.get(version__version="test-1", code="INF.1.01")
        return {
            "title": "Équiper",
            "target_0_indicator": indicator.pk,
            "target_0_status": "en_cours",
            "target_0_year": matrix.YEAR,
        }

    def action_data(w):
        action = Action.objects.filter(school=w.school_a).first()
        return {"title": "Former l'équipe", "seen_revision": action.revision if action else 0}

    def revision_data(w):
        return {"seen_revision": Action.objects.filter(school=w.school_a).first().revision}

    def status_data(w):
        return {**revision_data(w), "status": "in_progress", "note": "Commencé"}

    def carry_data(w):
        return {**revision_data(w), "decision": "abandon", "note": "Plus d'actualité"}

    def adopt_data(w):
        plan = Plan.objects.get(school=w.school_a)
        return {"body": "board", "adopted_on": datetime.date.today().isoformat(), "seen_revision": plan.revision}

    def read(args):
        return ("get", args, None, matrix.statuses(404, s200=readers))

    def write(args, data, allowed=writers):
        return ("post", args, data, matrix.statuses(404, s302=allowed, s403=readers - allowed))

    matrix.MATRIX.update(
        {
            "plans:home": read(matrix.school_a),
            "plans:detail": read(plan_args),
            "plans:versions": read(plan_args),
            "plans:version": read(version_args),
            "plans:action": read(action_args),
            "plans:prepare": write(validated, prepare_data),
            "plans:edit": write(plan_args, plan_data),
            "plans:adopt": write(plan_args, adopt_data, direction),
            "plans:objective_add": write(plan_args, objective_data),
            "plans:objective_edit": write(objective_args, objective_data),
            "plans:objective_delete": write(objective_args, None),
            "plans:action_add": write(plan_args, action_data),
            "plans:action_edit": write(action_args, action_data),
            # The member named responsible changes the status of their action, and nothing else of it.
            "plans:action_status": write(action_args, status_data, writers | {"member_a"}),
            "plans:action_delete": write(action_args, None),
            "plans:action_carry_over": write(action_args, carry_data),
        }
    )
    matrix.GUARDS.update(
        {
            **dict.fromkeys(
                ["plans:home", "plans:detail", "plans:versions", "plans:version", "plans:action"], ("plan:read",)
            ),
            **dict.fromkeys(
                [
                    "plans:prepare",
                    "plans:edit",
                    "plans:objective_add",
                    "plans:objective_edit",
                    "plans:objective_delete",
                ],
                ("plan:write",),
            ),
            "plans:adopt": ("plan:adopt",),
            "plans:action_add": ("action:write",),
            "plans:action_edit": ("action:write",),
            "plans:action_status": ("action:update_status",),
            "plans:action_delete": ("action:delete",),
            "plans:action_carry_over": ("action:carry_over",),
        }
    )
    matrix.SNAPSHOTS.extend(
        [
            lambda: sorted(
                Plan.objects.values_list("pk", "title", "first_year", "last_year", "revision", "adopted_revision")
            ),
            lambda: sorted(Objective.objects.values_list("pk", "title")),
            lambda: sorted(Action.objects.values_list("pk", "title", "status", "revision", "due_on")),
            lambda: sorted(ActionEvent.objects.values_list("pk", flat=True)),
            lambda: sorted(PlanVersion.objects.values_list("pk", flat=True)),
        ]
    )
