"""What the loop's tests share: a campaign of the current school year on the tests' two-domain
referential (so that it is the schools' current campaign whatever the day), a plan of school A and
its actions, made through the plan's services."""

import datetime

from django.utils import timezone

from pilotis.assessments import services as assessment_services
from pilotis.core.school_years import current_school_year
from pilotis.plans import services as plan_services
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Plan
from pilotis.referential.models import Indicator
from tests.factories import MINI, open_campaign


def this_year():
    return current_school_year()


def last_year():
    start = int(this_year()[:4]) - 1
    return f"{start}-{start + 1}"


def current_campaign(world, referential):
    return open_campaign(world, referential, this_year())


def indicators(referential, *codes):
    found = {i.code: i for i in Indicator.objects.filter(version=referential, code__in=codes)}
    return [found[code] for code in codes]


def plan_of(school, referential, *, first_year=None, last_year=None, by=None):
    """A plan row (the plan's pages create it in their own branch; the loop needs only its row)."""
    first_year = first_year or this_year()
    return Plan.objects.create(
        school=school, referential=referential, first_year=first_year, last_year=last_year or first_year, created_by=by
    )


def action_of(plan, by, title, codes=(), *, status=ActionStatus.TODO, **fields):
    """An action through the plan's services; `status` reached through `change_status` (its journal)."""
    action = plan_services.create_action(
        plan, by=by, title=title, indicators=indicators(plan.referential, *codes), **fields
    )
    if status != ActionStatus.TODO:
        action = plan_services.change_status(action, by=by, status=status, note="Test")
    return action


def answer(campaign, school, code, status, by, comment=""):
    indicator = Indicator.objects.get(version=campaign.referential, code=code)
    return assessment_services.save_answer(campaign, school, indicator, status=status, comment=comment, by=by)


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


__all__ = ["MINI"]
