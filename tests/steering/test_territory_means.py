"""The synthesis' département and académie means: over validated schools, read from the counters,
shown from 5 schools on (small-cell rule)."""

import pytest
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Assessment
from tests.steering.conftest import answer_all

pytestmark = pytest.mark.django_db


def level_two_in_pil(indicator):
    done = indicator.level <= (2 if indicator.domain.code == "PIL" else 1)
    return AnswerStatus.DONE if done else AnswerStatus.NOT_DONE


def test_means_appear_from_five_validated_schools(client_for, world, campaign, landes_schools):
    url = reverse("assessments:synthesis", args=[world.school_a.uai, campaign.school_year])
    for school in landes_schools[:4]:
        answer_all(campaign, school, world.chef_a, level_two_in_pil, validate_by=world.chef_a)
    # A fifth school that has answered but not validated does not count.
    answer_all(campaign, landes_schools[4], world.chef_a, level_two_in_pil)
    page = client_for("correspondant_40").get(url)
    assert not any("Moyenne" in o.label for o in page.context["others"])

    services.validate_assessment(Assessment.objects.get(campaign=campaign, school=landes_schools[4]), by=world.chef_a)
    others = {o.label: o for o in client_for("correspondant_40").get(url).context["others"]}
    department = others["Moyenne du département (Landes)"]
    assert department.schools == 5
    assert department.levels == {"PIL": 2.0, "PED": 1.0, "FOR": 1.0, "RES": 1.0, "INF": 1.0}
    assert others["Moyenne de l'académie (Bordeaux)"].schools == 5

    # Reopening one takes it out of the means again.
    services.reopen_assessment(Assessment.objects.get(campaign=campaign, school=landes_schools[0]), by=world.chef_a)
    others = client_for("correspondant_40").get(url).context["others"]
    assert not any("Moyenne" in o.label for o in others)
