"""Designations and letters of school A (collège of the Landes), built through the services."""

from decimal import Decimal

import pytest
from django.conf import settings

from pilotis.core.school_years import current_school_year
from pilotis.missions import services
from pilotis.missions.services import school_year_bounds
from pilotis.referential.models import Indicator

# Designations are of the current school year (the form offers this one and the next), whatever the day the
# suite runs; the campaign's year does not matter to a letter.
YEAR = current_school_year()
FIRST_DAY, LAST_DAY = school_year_bounds(YEAR)
NEXT_YEAR = f"{int(YEAR[:4]) + 1}-{int(YEAR[:4]) + 2}"
IMP = Decimal("1250.00")


@pytest.fixture(autouse=True)
def _shipped_catalogue(db):
    """The migration's catalogue, written again should a transactional test have emptied the tables."""
    from pilotis.missions.catalogue import ensure_shipped_entries
    from pilotis.missions.models import CatalogueEntry

    ensure_shipped_entries(CatalogueEntry)


@pytest.fixture
def referential(mini_referential):
    """Letters name indicators of the two-domain referential: the shared `campaign` runs on it."""
    return mini_referential


@pytest.fixture
def designation(world):
    assert IMP in settings.IMP_RATES
    return services.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=YEAR,
        starts_on=FIRST_DAY,
        ends_on=LAST_DAY,
        imp_amount=IMP,
        by=world.chef_a,
    )


def fill(letter, by, *, entries=None, indicators=()):
    from pilotis.missions.models import CatalogueEntry

    entries = entries if entries is not None else list(CatalogueEntry.objects.filter(academy__isnull=True)[:3])
    missions = [(entry, "principale" if n == 0 else "secondaire") for n, entry in enumerate(entries)]
    return services.update_letter(
        letter,
        fields={"means_time": "Une heure par semaine", "training": "Parcours M@gistère RUPN"},
        missions=missions,
        indicators=list(indicators),
        seen_revision=letter.revision,
        by=by,
    )


@pytest.fixture
def draft(world, designation, campaign):
    letter = services.start_letter(designation, by=world.chef_a)
    indicators = Indicator.objects.filter(version=campaign.referential, code__startswith="PIL")[:2]
    return fill(letter, world.chef_a, indicators=indicators)


@pytest.fixture
def signed(world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    return services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
