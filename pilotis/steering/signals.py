"""Receivers of the signals of the apps below."""

from django.dispatch import receiver

from pilotis.plans.signals import plan_changed
from pilotis.steering import plan_tallies
from pilotis.territories.signals import schools_regrouped


@receiver(plan_changed, dispatch_uid="steering.plan_changed")
def recount_a_plan(sender, school_id, **kwargs):
    plan_tallies.recount([school_id])


@receiver(schools_regrouped, dispatch_uid="steering.schools_regrouped")
def recount_after_a_regrouping(sender, school_ids, **kwargs):
    plan_tallies.recount(school_ids)
