"""Named predicates of territorial steering; each docstring states the rule."""

from django.db.models import Q

from pilotis.assessments.models import Campaign
from pilotis.core.scope import scope_of
from pilotis.territories.models import Department


def can_steer(user) -> bool:
    """The correspondents, the DANE and the administrator follow the schools of their territory."""
    return scope_of(user).is_territorial


def campaigns_for(user):
    """The campaigns of the académies where the user holds a territory role."""
    scope = scope_of(user)
    if scope.everything:
        return Campaign.objects.all()
    if not scope.is_territorial:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        Q(academy_id__in=scope.academy_ids) | Q(academy__departments__in=scope.department_ids)
    ).distinct()


def departments_for(user, campaign):
    """The départements of the campaign's académie that the user follows: all of them for its
    DANE (and the administrator), their own for a correspondent."""
    departments = Department.objects.filter(academy_id=campaign.academy_id).order_by("code")
    if follows_academy(user, campaign):
        return departments
    return departments.filter(pk__in=scope_of(user).department_ids)


def follows_academy(user, campaign) -> bool:
    """Whether the user follows the campaign's whole académie (its DANE, the administrator)."""
    scope = scope_of(user)
    return scope.everything or campaign.academy_id in scope.academy_ids


def can_remind(user) -> bool:
    """Sending reminders (e-mails to many schools) is its own ability: today the same people as
    `can_steer` — the correspondents, the DANE and the administrator — within their territory."""
    return scope_of(user).is_territorial
