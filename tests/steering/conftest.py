import pytest

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Assessment
from pilotis.referential.models import Indicator
from tests.factories import SchoolFactory, open_campaign  # noqa: F401 (the steering tests import it from here)


@pytest.fixture
def landes_schools(world):
    """Six more collèges in the Landes (seven with school A): enough for shares there."""
    return [SchoolFactory(name=f"Collège Landais {n}", department=world.landes) for n in range(6)]


def answer_all(campaign, school, by, status_for, *, validate_by=None):
    """Answers every indicator of the campaign: `status_for(indicator)` gives the status."""
    for indicator in Indicator.objects.filter(version=campaign.referential).select_related("domain"):
        services.save_answer(campaign, school, indicator, status=status_for(indicator), comment="", by=by)
    if validate_by is not None:
        services.validate_assessment(Assessment.objects.get(campaign=campaign, school=school), by=validate_by)


def level_one_done(indicator):
    return AnswerStatus.DONE if indicator.level == 1 else AnswerStatus.IN_PROGRESS
