"""Receivers of the signals of the apps below."""

from django.dispatch import receiver

from pilotis.assessments import tallies
from pilotis.territories.signals import schools_moved


@receiver(schools_moved, dispatch_uid="assessments.schools_moved")
def recount_after_a_move(sender, moves, **kwargs):
    tallies.schools_moved([school_id for school_id, _old, _new in moves])
