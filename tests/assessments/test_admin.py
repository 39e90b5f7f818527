"""Campaigns and assessments in the admin go through the services: their rules, their audit rows."""

import datetime

import pytest
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.models import AuditEvent
from tests.factories import open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    return campaign


def test_a_campaign_schools_answered_is_not_deleted_in_the_admin(client_for, answered):
    client = client_for("admin")
    response = client.get(reverse("admin:assessments_campaign_delete", args=[answered.pk]), follow=True)
    assert "ne peut pas être supprimée" in response.content.decode()
    response = client.post(reverse("admin:assessments_campaign_delete", args=[answered.pk]), {"post": "yes"})
    assert Campaign.objects.filter(pk=answered.pk).exists()
    assert not AuditEvent.objects.filter(action="campaign_deleted").exists()


def test_deleting_an_unanswered_campaign_in_the_admin_is_audited(client_for, world, campaign):
    client = client_for("admin")
    response = client.post(reverse("admin:assessments_campaign_delete", args=[campaign.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Campaign.objects.exists()
    assert AuditEvent.objects.get(action="campaign_deleted").actor == world.admin


def test_the_admin_moves_dates_through_the_service(client_for, world, referential):
    campaign = open_campaign(world, referential, "2027-2028")
    client = client_for("admin")
    url = reverse("admin:assessments_campaign_change", args=[campaign.pk])
    assert client.get(url).status_code == 200
    # Into the current school year: refused, it would take over the schools.
    response = client.post(url, {"opens_on": "2026-12-01", "closes_on": "2028-06-30"})
    assert response.status_code == 200
    assert "doit ouvrir pendant son année scolaire" in response.content.decode()
    response = client.post(url, {"opens_on": "2027-09-15", "closes_on": "2028-06-30"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.opens_on == datetime.date(2027, 9, 15)
    event = AuditEvent.objects.get(action="campaign_dates_changed")
    assert (event.before["opens_on"], event.after["opens_on"]) == ("2027-09-01", "2027-09-15")


def test_the_admin_opens_a_campaign_through_the_service(client_for, world, referential):
    data = {
        "academy": world.bordeaux.pk,
        "school_year": "2027-2028",
        "referential": referential.pk,
        "opens_on": "2027-09-01",
        "closes_on": "2028-06-30",
    }
    response = client_for("admin").post(reverse("admin:assessments_campaign_add"), data)
    assert response.status_code == 302
    assert Campaign.objects.get().is_scheduled
    assert AuditEvent.objects.filter(action="campaign_opened").count() == 1


def test_assessments_are_read_only_in_the_admin(client_for, answered):
    client = client_for("admin")
    assessment = Assessment.objects.get()
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"state": "validated", "answered_count": 80})
    assessment.refresh_from_db()
    assert (assessment.state, assessment.answered_count) == ("draft", 1)
