import pytest

from pilotis.assessments import services
from pilotis.assessments.models import Assessment
from pilotis.referential.models import Indicator
from tests.factories import SchoolFactory, open_campaign


@pytest.fixture
def indicator(referential):
    return Indicator.objects.get(version=referential, code="PIL.1.01")


def validated_schools(campaign, world, department, count):
    """`count` more schools of `department`, each with level 1 of every domain done, validated."""
    schools = [SchoolFactory(name=f"Collège {department.name} {n}", department=department) for n in range(count)]
    level_one = list(Indicator.objects.filter(version=campaign.referential, level=1))
    for school in schools:
        for indicator in level_one:
            services.save_answer(campaign, school, indicator, status="realise", comment="", by=world.chef_a)
        services.validate_assessment(Assessment.objects.get(campaign=campaign, school=school), by=world.chef_a)
    return schools


@pytest.fixture
def previous_year(world, referential):
    """School A's 2025-2026 campaign, closed: level 1 of Pilotage and Formation done (level 1 there)."""
    earlier = open_campaign(world, referential, "2025-2026")
    for indicator in Indicator.objects.filter(version=referential, level=1, domain__code__in=["PIL", "FOR"]):
        services.save_answer(earlier, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    services.close_campaign(earlier, by=world.dane)
    return earlier


@pytest.fixture
def compared(world, referential, previous_year):
    """The 2026-2027 campaign with everything the synthesis compares school A to: its previous
    campaign, and five validated schools of the Landes (so both the département's and the
    académie's means are shown)."""
    campaign = open_campaign(world, referential, "2026-2027")
    validated_schools(campaign, world, world.landes, 5)
    return campaign
