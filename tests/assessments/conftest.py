import datetime

import pytest
from django.core.management import call_command

from pilotis.assessments import services
from pilotis.referential.models import Indicator, ReferentialVersion


@pytest.fixture
def referential(db):
    call_command("load_referential", verbosity=0)
    return ReferentialVersion.objects.get(version="2021")


@pytest.fixture
def campaign(world, referential):
    return services.open_campaign(
        academy=world.bordeaux,
        school_year="2026-2027",
        referential=referential,
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2027, 6, 30),
        by=world.dane,
    )


@pytest.fixture
def indicator(referential):
    return Indicator.objects.get(version=referential, code="PIL.1.01")
