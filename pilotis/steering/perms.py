"""Named predicates of territorial steering; each docstring states the rule.

Who steers is `territories.perms.follows_territory`; which campaigns, `Campaign.objects.for_user`;
which départements, `Department.objects.for_user`.
"""

from pilotis.territories.models import Department
from pilotis.territories.perms import follows_territory


def departments_for(user, campaign):
    """The départements of the campaign's académie that the user follows: all of them for its
    DANE (and the administrator), their own for a correspondent."""
    return Department.objects.for_user(user).filter(academy_id=campaign.academy_id).order_by("code")


def can_remind(user) -> bool:
    """Sending reminders (e-mails to many schools) is its own ability, kept apart from reading the
    dashboards so that it can narrow on its own: today the same people, those who follow a
    territory (`follows_territory`), within it."""
    return follows_territory(user)
