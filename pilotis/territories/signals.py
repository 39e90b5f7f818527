"""What `territories` tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent inside the writing transaction when schools change département, close or reopen, with
# `school_ids`. The dashboards' counters are kept per département over the open schools
# (assessments.tallies) and must follow. Bulk writes send no model signal, so whoever changes a
# school so sends this one: the annuaire import and the admin do.
schools_regrouped = Signal()
