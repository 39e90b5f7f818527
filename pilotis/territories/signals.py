"""What `territories` tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent inside the writing transaction when schools change département, with `moves`: a list of
# (school id, old département id, new département id). The dashboards' counters are kept per
# département (assessments.tallies) and must follow. Bulk writes send no model signal, so
# whoever moves a school sends this one: the annuaire import and the admin do.
schools_moved = Signal()
