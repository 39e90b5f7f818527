"""What the plan's pages and its panel read the same way: which plan is the school's current one,
the self-assessment a plan is prepared from, the adoption's state in words, and the actions a new
campaign asks about."""

from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.assessments.enums import AssessmentState
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.formats import day
from pilotis.core.school_years import current_school_year
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Plan


def current_plan(school):
    """The plan covering the current school year, else the latest one."""
    plans = Plan.objects.filter(school=school)
    return plans.covering(current_school_year()).first() or plans.order_by("-first_year").first()


def latest_validated(school):
    """The school's latest validated self-assessment, the one a plan is prepared from."""
    return (
        Assessment.objects.filter(school=school, state=AssessmentState.VALIDATED)
        .select_related("campaign")
        .order_by("-campaign__school_year")
        .first()
    )


def adoption_state(plan, latest_version) -> str:
    if latest_version is None:
        return _("Pas encore adopté.")
    adopted = _("Adopté le %(day)s par le %(body)s, version %(number)d.") % {
        "day": day(latest_version.adopted_on),
        "body": latest_version.get_body_display().lower(),
        "number": latest_version.number,
    }
    if plan.changed_since_adoption:
        return (
            adopted
            + " "
            + _("Modifié depuis l'adoption : version %(number)d en préparation.")
            % {"number": latest_version.number + 1}
        )
    return adopted


def carried_over(plan, actions, school):
    """The unfinished actions a new campaign asks about (« Reporter » or « Abandonner »): when the
    school's current campaign is later than the plan's, those past their due date or created before
    it opened. Nothing happens to them by itself."""
    if plan.campaign is None:
        return None, []
    campaign = Campaign.objects.current_for(school.department.academy_id)
    if campaign is None or campaign.school_year <= plan.campaign.school_year:
        return None, []
    today = timezone.localdate()
    opened = campaign.opens_on
    rows = [
        action
        for action in actions
        if action.status in ActionStatus.unfinished()
        and ((action.due_on and action.due_on < today) or timezone.localdate(action.created_at) < opened)
    ]
    return campaign, rows
