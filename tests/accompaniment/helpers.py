"""Rows the accompaniment's tests share: an entry through the service, a plan's action of a school."""

import datetime

from django.utils import timezone

from pilotis.accompaniment import services
from pilotis.plans import services as plan_services
from pilotis.plans.models import Plan


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def entry(school, by, **fields):
    values = {"happened_on": today(), "kind": "visit", "notes": "Visite"} | fields
    return services.record_entry(school, by=by, **values)


def action_of(school, by, referential, title="Former les enseignants à l'ENT"):
    # The plan's own services for a plan are another part's; its row is enough here.
    plan = Plan.objects.filter(school=school).first() or Plan.objects.create(
        school=school, referential=referential, first_year="2026-2027", last_year="2027-2028"
    )
    return plan_services.create_action(plan, by=by, title=title)
