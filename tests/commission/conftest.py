import datetime

import pytest
from django.utils import timezone

from pilotis.commission import services
from pilotis.plans.models import Plan
from tests.factories import open_campaign


@pytest.fixture
def mini_campaign(world, mini_referential):
    return open_campaign(world, mini_referential, "2026-2027")


@pytest.fixture
def plan(world, mini_campaign):
    return Plan.objects.create(
        school=world.school_a,
        referential=mini_campaign.referential,
        campaign=mini_campaign,
        first_year="2026-2027",
        last_year="2027-2028",
    )


@pytest.fixture
def members(world):
    """The chef (account), a parent and a pupil (no account; the pupil without an address)."""
    return [
        services.add_member(
            world.school_a, by=world.chef_a, user=world.chef_a, group="direction", from_date=datetime.date(2025, 9, 1)
        ),
        services.add_member(
            world.school_a,
            by=world.chef_a,
            name="Mme Dupuy",
            email="dupuy@example.org",
            group="parents",
            from_date=datetime.date(2025, 9, 1),
        ),
        services.add_member(
            world.school_a, by=world.chef_a, name="Léo Martin", group="pupils", from_date=datetime.date(2025, 9, 1)
        ),
    ]


def meeting_at(world, days, **kwargs):
    return services.create_meeting(
        world.school_a, by=world.chef_a, starts_at=timezone.now() + datetime.timedelta(days=days), **kwargs
    )


def hold(meeting, by, *, attendance=None, decisions=("Former l'équipe à l'ENT",), minutes="Compte rendu"):
    return services.record_minutes(
        meeting,
        by=by,
        seen_revision=None,
        attendance=attendance or {},
        minutes=minutes,
        decisions=[services.DecisionInput(text) for text in decisions],
    )
