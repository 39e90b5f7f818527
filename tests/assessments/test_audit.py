"""The audit journal (SECURITY.md, « Audit journal ») for the self-assessment: validating,
reopening, opening and closing a campaign each leave one audit row — the action, the object,
before → after, who, from where."""

import pytest
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.models import AuditEvent

YEAR = "2026-2027"
IP = "10.4.0.40"


def only(action):
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, (action, events)
    return events[0]


def school_url(name, world):
    return reverse(f"assessments:{name}", args=[world.school_a.uai, YEAR])


@pytest.fixture
def answered(world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    return Assessment.objects.get()


def test_validating_then_reopening(client_for, world, answered):
    client = client_for("chef_a")
    revision = {"seen_revision": services.answers_revision(answered)}
    assert client.post(school_url("validate", world), revision, REMOTE_ADDR=IP).status_code == 302
    validated = only("assessment_validated")
    assert (validated.actor, validated.actor_label) == (world.chef_a, "chef_a")
    assert (validated.object_type, validated.object_id) == ("assessments.assessment", str(answered.pk))
    assert validated.object_label == f"{world.school_a.name} — {YEAR}"
    assert validated.before == {"state": "draft"}
    assert validated.after == {"state": "validated", "validated_by": world.chef_a.get_full_name()}
    assert validated.ip_address == IP

    client = client_for("adjoint_a")
    assert client.post(school_url("reopen", world), REMOTE_ADDR=IP).status_code == 302
    reopened = only("assessment_reopened")
    assert reopened.actor == world.adjoint_a
    assert (reopened.object_type, reopened.object_id) == ("assessments.assessment", str(answered.pk))
    assert reopened.before == {"state": "validated", "validated_by": world.chef_a.get_full_name()}
    assert reopened.after == {"state": "draft"}
    assert reopened.ip_address == IP


def test_a_refused_validation_leaves_no_validation_row(client_for, world, answered):
    client_for("rupn_a").post(school_url("validate", world))
    assert not AuditEvent.objects.filter(action="assessment_validated").exists()
    assert Assessment.objects.get().state == "draft"


def test_opening_then_closing_a_campaign(client_for, world, referential):
    client = client_for("dane")
    response = client.post(
        reverse("campaigns:list"),
        {"school_year": YEAR, "referential": referential.pk, "opens_on": "2026-09-01", "closes_on": "2027-06-30"},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    opened = only("campaign_opened")
    assert opened.actor == world.dane
    assert (opened.object_type, opened.object_id) == ("assessments.campaign", str(campaign.pk))
    assert opened.object_label == f"Campagne {YEAR} — Bordeaux"
    assert opened.before is None
    assert opened.after == {
        "year": YEAR,
        "referential": "2021",
        "opens_on": "2026-09-01",
        "closes_on": "2027-06-30",
        "state": "open",
    }
    assert opened.ip_address == IP

    assert client.post(reverse("campaigns:close", args=[campaign.pk]), REMOTE_ADDR=IP).status_code == 302
    closed = only("campaign_closed")
    assert closed.actor == world.dane
    assert (closed.object_type, closed.object_id) == ("assessments.campaign", str(campaign.pk))
    assert (closed.before, closed.after) == ({"state": "open"}, {"state": "closed"})
    assert closed.ip_address == IP
    # Closing again changes nothing, and says nothing more.
    client.post(reverse("campaigns:close", args=[campaign.pk]))
    assert AuditEvent.objects.filter(action="campaign_closed").count() == 1
