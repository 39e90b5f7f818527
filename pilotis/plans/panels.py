"""The plan's block on the school's page (core.panels): the plan of the current school year in two
lines (adopted or not; actions done, in progress, overdue), and « Préparer le plan d'actions » when
the school has a validated self-assessment of its current or last campaign and no plan covers the
current year."""

from django.db.models import Count, Q
from django.utils import timezone

from pilotis.assessments.enums import AssessmentState
from pilotis.assessments.models import Assessment
from pilotis.core.panels import Panel, school_panel
from pilotis.core.school_years import current_school_year
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Plan
from pilotis.plans.pages import adoption_state
from pilotis.plans.perms import can_write_plan


def _adoption(plan):
    return adoption_state(plan, plan.versions.order_by("-number").first())


@school_panel("plans", order=30)
def plan_panel(request, school) -> Panel:
    year = current_school_year()
    plans = Plan.objects.filter(school=school)
    plan = plans.covering(year).first()
    counts, adoption = {}, ""
    if plan is not None:
        today = timezone.localdate()
        counts = plan.actions.aggregate(
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            in_progress=Count("pk", filter=Q(status=ActionStatus.IN_PROGRESS)),
            overdue=Count("pk", filter=Q(status__in=ActionStatus.unfinished(), due_on__lt=today)),
        )
        adoption = _adoption(plan)
    last_year = f"{int(year[:4]) - 1}-{year[:4]}"
    prepare = (
        plan is None
        and can_write_plan(request.user, school)
        and Assessment.objects.filter(
            school=school, state=AssessmentState.VALIDATED, campaign__school_year__in=[year, last_year]
        ).exists()
    )
    return Panel("plans/panel.html", {"plan": plan, "counts": counts, "adoption": adoption, "prepare": prepare})
