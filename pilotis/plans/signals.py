"""What `plans` tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent with `school_id` by every service that changes what the territory's plan figures read: a
# plan's years or existence, its adoption, an objective's targets, an action's indicators or
# existence (not an action's status: the figures per school read statuses live, a page at a time).
# Sent inside the service's transaction, not on commit: the receivers (steering.plan_tallies) move
# counters in that same transaction, so the counters commit or roll back with the change and can
# never disagree with the plans once it is committed; on commit, a crash or an error between the
# commit and the recount would leave them wrong until the next rebuild.
plan_changed = Signal()


def send_plan_changed(school_id) -> None:
    plan_changed.send(sender="plans", school_id=school_id)
