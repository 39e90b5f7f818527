"""Receivers of the signals of the apps below."""

from django.dispatch import receiver

from pilotis.assessments import tallies
from pilotis.territories.signals import schools_regrouped


@receiver(schools_regrouped, dispatch_uid="assessments.schools_regrouped")
def recount_after_a_regrouping(sender, school_ids, **kwargs):
    tallies.schools_regrouped(school_ids)
