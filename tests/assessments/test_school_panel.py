"""The school's page says where the year's SCHÉMATIC stands and what this user can do next."""

import pytest
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Assessment
from pilotis.referential.models import Indicator

pytestmark = pytest.mark.django_db


def _page(client_for, persona, school) -> str:
    response = client_for(persona).get(reverse("territories:school_detail", args=[school.uai]))
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_campaign_the_page_says_so(client_for, world):
    assert "Aucune campagne SCHÉMATIC n’a encore été ouverte" in _page(client_for, "rupn_a", world.school_a)


def test_not_started_the_fillers_are_invited_to_begin(client_for, world, campaign):
    page = _page(client_for, "rupn_a", world.school_a)
    assert "Autodiagnostic SCHÉMATIC 2026-2027" in page
    assert "Non commencé" in page
    assert "Commencer l’autodiagnostic" in page
    assert reverse("assessments:home", args=[world.school_a.uai, "2026-2027"]) in page


def test_a_reader_is_not_told_to_fill(client_for, world, campaign):
    page = _page(client_for, "member_a", world.school_a)
    assert "Non commencé" in page
    assert "Commencer l’autodiagnostic" not in page
    assert "Ouvrir l’autodiagnostic" in page


def test_started_it_shows_the_progress_and_the_levels(client_for, world, campaign):
    for indicator in Indicator.objects.filter(version=campaign.referential, domain__code="PIL", level=1):
        services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    done = Indicator.objects.filter(version=campaign.referential, domain__code="PIL", level=1).count()
    total = Indicator.objects.filter(version=campaign.referential).count()
    page = _page(client_for, "rupn_a", world.school_a)
    assert f"{done} indicateurs renseignés sur {total}" in page
    assert "Pilotage, impulsion et organisation <strong>1</strong>/3" in page
    assert "Formation <strong>0</strong>/3" in page
    assert "Continuer l’autodiagnostic" in page


def test_all_answered_the_direction_is_told_it_can_validate(client_for, world, campaign):
    for indicator in Indicator.objects.filter(version=campaign.referential):
        services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    # Each reads a sentence written for them: the direction validates, the RUPN tells the direction.
    direction = _page(client_for, "chef_a", world.school_a)
    assert "Tous les indicateurs sont renseignés : vous pouvez valider l’autodiagnostic." in direction
    assert reverse("assessments:validate", args=[world.school_a.uai, "2026-2027"]) in direction
    rupn = _page(client_for, "rupn_a", world.school_a)
    assert "vous pouvez valider" not in rupn
    assert "signalez à la direction qu’il est prêt à valider" in rupn
    assert reverse("assessments:validate", args=[world.school_a.uai, "2026-2027"]) not in rupn


def test_validated_it_says_by_whom(client_for, world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status=AnswerStatus.DONE, comment="", by=world.rupn_a)
    assessment = Assessment.objects.get(campaign=campaign, school=world.school_a)
    services.validate_assessment(assessment, by=world.chef_a)
    page = _page(client_for, "correspondant_40", world.school_a)
    assert "Validé" in page
    assert f"par {world.chef_a.get_full_name()}" in page
    # Another school of the académie, not started, shows its own state, not school A's.
    assert "Non commencé" in _page(client_for, "dane", world.school_b)
