"""The loop from a done action back to the self-assessment: what Pilotis proposes, the one click
that applies a proposal, and every refusal (nothing written)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.assessments import services as assessment_services
from pilotis.assessments import tallies
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer, AnswerChange, Assessment
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.plans import loop
from pilotis.plans.enums import ActionStatus
from pilotis.referential.models import ReferentialVersion
from tests.factories import MINI, load_referential
from tests.plans.loop_helpers import action_of, answer, current_campaign, plan_of


@pytest.fixture
def campaign(world, mini_referential):
    return current_campaign(world, mini_referential)


@pytest.fixture
def plan(world, campaign):
    return plan_of(world.school_a, campaign.referential, by=world.rupn_a)


@pytest.fixture
def done(world, plan):
    """A done action serving two indicators of Pilotage."""
    return action_of(plan, world.rupn_a, "Adopter la charte", ["PIL.1.01", "PIL.1.02"], status=ActionStatus.DONE)


def updates_url(world, action):
    return reverse("plans:indicator_updates", args=[world.school_a.uai, action.pk])


def apply_url(world, action, code):
    return reverse("plans:apply_indicator", args=[world.school_a.uai, action.pk, code])


def history(campaign, school, code):
    return list(AnswerChange.objects.filter(answer__assessment__school=school, answer__indicator__code=code))


# What Pilotis proposes


def test_a_done_action_proposes_each_indicator_it_serves_with_its_answer(world, campaign, done):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.rupn_a, comment="En cours de vote")
    proposals = loop.proposals(done, world.rupn_a)
    assert proposals.shown and proposals.can_apply and not proposals.refusal
    assert [(p.code, p.status, p.comment, p.revision) for p in proposals] == [
        ("PIL.1.01", AnswerStatus.IN_PROGRESS, "En cours de vote", 1),
        ("PIL.1.02", "", "", 0),
    ]
    assert [p.code for p in proposals.to_apply] == ["PIL.1.01", "PIL.1.02"]


def test_a_member_who_reads_sees_the_proposals_without_the_buttons(client_for, world, campaign, done):
    assert loop.proposals(done, world.member_a).can_apply is False
    page = client_for("member_a").get(updates_url(world, done)).content.decode()
    assert "PIL.1.01" in page and "Passer à « Réalisé »" not in page
    assert "La direction et le RUPN font ces mises à jour" in page


def test_an_action_not_done_proposes_nothing(world, campaign, plan):
    action = action_of(plan, world.rupn_a, "Former l'équipe", ["PIL.1.01"], status=ActionStatus.IN_PROGRESS)
    proposals = loop.proposals(action, world.rupn_a)
    assert list(proposals) == [] and not proposals.shown and not proposals.refusal


def test_an_indicator_already_done_is_said_so_and_offers_no_button(client_for, world, campaign, done):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.DONE, world.rupn_a)
    assert [p.code for p in loop.proposals(done, world.rupn_a).to_apply] == ["PIL.1.02"]
    page = client_for("rupn_a").get(updates_url(world, done)).content.decode()
    assert "Déjà « Réalisé »" in page
    assert apply_url(world, done, "PIL.1.02") in page and apply_url(world, done, "PIL.1.01") not in page


def test_a_closed_campaign_proposes_nothing_and_says_why(world, campaign, done):
    assessment_services.close_campaign(campaign, by=world.dane)
    proposals = loop.proposals(done, world.rupn_a)
    assert list(proposals) == []
    assert "est close" in proposals.refusal


def test_a_validated_self_assessment_proposes_nothing_and_says_to_reopen_it(client_for, world, campaign, done):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.rupn_a)
    assessment_services.validate_assessment(Assessment.objects.get(), by=world.chef_a)
    proposals = loop.proposals(done, world.rupn_a)
    assert list(proposals) == []
    assert "est validé" in proposals.refusal and "rouvrir" in proposals.refusal
    page = client_for("rupn_a").get(updates_url(world, done)).content.decode()
    assert "la direction doit d’abord le rouvrir" in page
    assert reverse("assessments:home", args=[world.school_a.uai, campaign.school_year]) in page
    assert "Passer à « Réalisé »" not in page


def test_no_campaign_this_year_proposes_nothing_and_says_why(world, mini_referential):
    plan = plan_of(world.school_a, mini_referential, by=world.rupn_a)
    action = action_of(plan, world.rupn_a, "Adopter la charte", ["PIL.1.02"], status=ActionStatus.DONE)
    proposals = loop.proposals(action, world.rupn_a)
    assert list(proposals) == [] and "Aucune campagne" in proposals.refusal


# The click


def test_one_click_passes_the_indicator_to_done_with_its_trace(client_for, world, campaign, done):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.chef_a, comment="Vote en CA prévu")
    response = client_for("rupn_a").post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "1"})
    assert response.status_code == 302
    assert response.url == updates_url(world, done)
    saved = Answer.objects.get(indicator__code="PIL.1.01")
    assert (saved.status, saved.comment, saved.revision) == (AnswerStatus.DONE, "Vote en CA prévu", 2)
    latest = history(campaign, world.school_a, "PIL.1.01")[0]
    assert latest.source == "l’action « Adopter la charte » du plan d’actions"
    assert (latest.status_before, latest.status_after, latest.changed_by) == (
        AnswerStatus.IN_PROGRESS,
        AnswerStatus.DONE,
        world.rupn_a,
    )
    event = AuditEvent.objects.get(action=AuditAction.ANSWER_FROM_ACTION)
    assert event.actor == world.rupn_a
    assert event.after["action"] == done.pk and event.after["indicator"] == "PIL.1.01"
    assert event.before["status"] == AnswerStatus.IN_PROGRESS
    # The territory's counters moved as for any save: stored equals recomputed from the answers.
    assert tallies.stored(campaign) == tallies.compute(campaign)
    indicator = Answer.objects.get(indicator__code="PIL.1.01").indicator_id
    assert tallies.stored(campaign).indicators[(world.landes.pk, indicator)] == (1, 0, 0)
    # The other indicator is untouched: one click, one indicator.
    assert not Answer.objects.filter(indicator__code="PIL.1.02").exists()


def test_the_first_answer_of_the_campaign_can_come_from_an_action(client_for, world, campaign, done):
    response = client_for("chef_a").post(apply_url(world, done, "PIL.1.02"), {"seen_revision": "0"})
    assert response.status_code == 302
    assert Answer.objects.get(indicator__code="PIL.1.02").status == AnswerStatus.DONE
    assert Assessment.objects.get().answered_count == 1
    assert tallies.stored(campaign) == tallies.compute(campaign)


def test_the_history_says_the_change_came_from_the_action(client_for, world, campaign, done):
    client = client_for("rupn_a")
    client.post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "0"})
    page = client.get(reverse("assessments:history", args=[world.school_a.uai, campaign.school_year, "PIL.1.01"]))
    assert "depuis l’action « Adopter la charte » du plan d’actions" in page.content.decode()


def test_back_to_the_action_page_when_asked(client_for, world, campaign, done):
    response = client_for("rupn_a").post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "0", "back": "action"})
    assert response.url == loop.action_path(done)


def test_a_stale_page_is_told_and_writes_nothing(client_for, world, campaign, done):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.chef_a)  # after the page showed 0
    before = AnswerChange.objects.count()
    client = client_for("rupn_a")
    response = client.post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "0"}, follow=True)
    assert "a changé depuis l’affichage de cette page" in response.content.decode()
    assert AnswerChange.objects.count() == before
    assert Answer.objects.get(indicator__code="PIL.1.01").status == AnswerStatus.IN_PROGRESS
    assert not AuditEvent.objects.filter(action=AuditAction.ANSWER_FROM_ACTION).exists()


def test_a_save_that_lands_under_the_lock_first_rolls_the_click_back(world, campaign, done, monkeypatch):
    """The page's revision is checked again under the save's lock: if someone saved in between
    (after the proposal was read), the click's save is rolled back whole."""
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.chef_a)
    real_save = assessment_services.save_answer

    def someone_saves_first(campaign, school, indicator, **kwargs):
        real_save(campaign, school, indicator, status=AnswerStatus.NOT_DONE, comment="", by=world.chef_a)
        return real_save(campaign, school, indicator, **kwargs)

    monkeypatch.setattr(assessment_services, "save_answer", someone_saves_first)
    with pytest.raises(loop.StaleAnswer):
        loop.apply(done, "PIL.1.01", by=world.rupn_a, seen_revision=1)
    saved = Answer.objects.get(indicator__code="PIL.1.01")
    # The save simulated here ran inside the click's transaction, so it went with it: in life it is
    # another person's transaction and stays. What matters: the click wrote nothing.
    assert (saved.status, saved.revision) == (AnswerStatus.IN_PROGRESS, 1)
    assert not AnswerChange.objects.exclude(source="").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ANSWER_FROM_ACTION).exists()
    assert tallies.stored(campaign) == tallies.compute(campaign)


def test_a_validated_self_assessment_refuses_the_click_with_the_reason(client_for, world, campaign, done):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.rupn_a)
    assessment_services.validate_assessment(Assessment.objects.get(), by=world.chef_a)
    before = AnswerChange.objects.count()
    response = client_for("rupn_a").post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "1"}, follow=True)
    assert "la direction doit d’abord le rouvrir" in response.content.decode()
    assert AnswerChange.objects.count() == before
    assert Answer.objects.get(indicator__code="PIL.1.01").status == AnswerStatus.IN_PROGRESS


def test_a_closed_campaign_refuses_the_click(client_for, world, campaign, done):
    assessment_services.close_campaign(campaign, by=world.dane)
    response = client_for("rupn_a").post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "0"}, follow=True)
    assert "est close" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_action_not_done_refuses_the_click(client_for, world, campaign, plan):
    action = action_of(plan, world.rupn_a, "Former l'équipe", ["PIL.1.01"], status=ActionStatus.IN_PROGRESS)
    response = client_for("rupn_a").post(apply_url(world, action, "PIL.1.01"), {"seen_revision": "0"}, follow=True)
    assert "L’action n’est pas réalisée" in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("code", ["INF.1.01", "PIL.9.99"])
def test_an_indicator_the_action_does_not_serve_is_refused(client_for, world, campaign, done, code):
    response = client_for("rupn_a").post(apply_url(world, done, code), {"seen_revision": "0"}, follow=True)
    assert "n’est pas servi par cette action" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_indicator_already_done_is_not_written_again(client_for, world, campaign, done):
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.DONE, world.rupn_a)
    response = client_for("rupn_a").post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "1"}, follow=True)
    assert "déjà « Réalisé »" in response.content.decode()
    assert AnswerChange.objects.count() == 1


def test_a_bad_revision_is_refused_without_a_500(client_for, world, campaign, done):
    for value in ("", "abc", str(2**63)):
        response = client_for("rupn_a").post(apply_url(world, done, "PIL.1.01"), {"seen_revision": value}, follow=True)
        assert response.status_code == 200
        assert "Demande invalide" in response.content.decode()
    assert not Answer.objects.exists()


# Who may


def test_a_member_who_is_not_a_writer_is_refused(client_for, world, campaign, done):
    assert client_for("member_a").post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "0"}).status_code == 403
    assert not Answer.objects.exists()


def test_the_member_named_responsible_is_refused_too(client_for, world, campaign, plan):
    """The responsible member marks the action done; filling in the self-assessment stays the RUPN's and the direction's."""
    action = action_of(plan, world.rupn_a, "Former l'équipe", ["PIL.1.01"], responsible=world.member_a)
    from pilotis.plans import services as plan_services

    plan_services.change_status(action, by=world.member_a, status=ActionStatus.DONE)
    assert client_for("member_a").post(apply_url(world, action, "PIL.1.01"), {"seen_revision": "0"}).status_code == 403
    with pytest.raises(loop.PermissionDenied):
        loop.apply(action, "PIL.1.01", by=world.member_a, seen_revision=0)
    assert not Answer.objects.exists()


def test_another_school_gets_a_404(client_for, world, campaign, done):
    for who in ("rupn_b", "correspondant_64", "chef_c"):
        assert client_for(who).post(apply_url(world, done, "PIL.1.01"), {"seen_revision": "0"}).status_code == 404
        assert client_for(who).get(updates_url(world, done)).status_code == 404
    assert not Answer.objects.exists()


def test_an_action_of_another_school_under_this_schools_address_is_a_404(client_for, world, campaign, mini_referential):
    plan_b = plan_of(world.school_b, mini_referential, by=world.rupn_b)
    action_b = action_of(plan_b, world.rupn_b, "Action de B", ["PIL.1.01"], status=ActionStatus.DONE)
    for who in ("rupn_a", "member_a"):  # a writer, and a reader who may not write: 404 before 403
        client = client_for(who)
        assert client.get(updates_url(world, action_b)).status_code == 404
        assert client.post(apply_url(world, action_b, "PIL.1.01"), {"seen_revision": "0"}).status_code == 404
    assert not Answer.objects.exists()


def test_the_territory_reads_the_proposals_without_buttons(client_for, world, campaign, done):
    page = client_for("correspondant_40").get(updates_url(world, done))
    assert page.status_code == 200
    assert "Passer à « Réalisé »" not in page.content.decode()


# Another referential version


def test_a_plan_on_an_earlier_version_is_carried_over_by_the_code_map(client_for, world, tmp_path):
    first = load_referential(MINI)
    text = MINI.read_text(encoding="utf-8").replace('version: "test-1"', 'version: "test-2"')
    text = text.replace("PIL.1.02", "PIL.1.05").replace("supersedes: null", 'supersedes: "test-1"')
    text = text.replace("code_map: {}", "code_map:\n  PIL.1.02: PIL.1.05")
    path = tmp_path / "test-2.yaml"
    path.write_text(text, encoding="utf-8")
    second = load_referential(path)
    assert ReferentialVersion.objects.get(version="test-2").supersedes == first
    campaign = current_campaign(world, second)
    plan = plan_of(world.school_a, first, by=world.rupn_a)
    action = action_of(plan, world.rupn_a, "Adopter la charte", ["PIL.1.02"], status=ActionStatus.DONE)
    proposals = loop.proposals(action, world.rupn_a)
    assert [(p.served_code, p.code, p.renamed) for p in proposals] == [("PIL.1.02", "PIL.1.05", True)]
    response = client_for("rupn_a").post(apply_url(world, action, "PIL.1.05"), {"seen_revision": "0"})
    assert response.status_code == 302
    saved = Answer.objects.get()
    assert (saved.indicator.code, saved.indicator.version, saved.status) == ("PIL.1.05", second, AnswerStatus.DONE)
    assert saved.assessment.campaign == campaign
    # The plan's old code names nothing in the campaign: refused, nothing more written.
    client_for("rupn_a").post(apply_url(world, action, "PIL.1.02"), {"seen_revision": "1"})
    assert AnswerChange.objects.count() == 1


def test_a_version_outside_the_campaigns_line_is_matched_code_for_code(world, tmp_path):
    """The code map speaks of its own line only: a plan on a version the campaign's does not
    supersede keeps its codes as they are (PIL.1.02 is not renamed PIL.1.05 for it)."""
    load_referential(MINI)
    text = MINI.read_text(encoding="utf-8").replace('version: "test-1"', 'version: "test-2"')
    text = text.replace("PIL.1.02", "PIL.1.05").replace("supersedes: null", 'supersedes: "test-1"')
    text = text.replace("code_map: {}", "code_map:\n  PIL.1.02: PIL.1.05")
    (tmp_path / "test-2.yaml").write_text(text, encoding="utf-8")
    second = load_referential(tmp_path / "test-2.yaml")
    other = MINI.read_text(encoding="utf-8").replace('version: "test-1"', 'version: "autre"')
    (tmp_path / "autre.yaml").write_text(other, encoding="utf-8")
    outside = load_referential(tmp_path / "autre.yaml")
    assert assessment_services.code_translation(outside, second) == {
        "PIL.1.01": "PIL.1.01",
        "PIL.2.01": "PIL.2.01",
        "INF.1.01": "INF.1.01",
    }
    current_campaign(world, second)
    plan = plan_of(world.school_a, outside, by=world.rupn_a)
    action = action_of(plan, world.rupn_a, "Autre ligne", ["PIL.1.01", "PIL.1.02"], status=ActionStatus.DONE)
    assert [(p.served_code, p.indicator is not None) for p in loop.proposals(action, world.rupn_a)] == [
        ("PIL.1.01", True),
        ("PIL.1.02", False),
    ]


# The page's cost


def test_the_updates_page_costs_the_same_whatever_the_number_of_indicators(client_for, world, campaign, plan):
    few = action_of(plan, world.rupn_a, "Peu", ["PIL.1.01"], status=ActionStatus.DONE)
    many = action_of(plan, world.rupn_a, "Beaucoup", ["PIL.1.01", "PIL.1.02", "PIL.2.01", "INF.1.01"])
    many = loop.Action.objects.get(pk=many.pk)
    from pilotis.plans import services as plan_services

    plan_services.change_status(many, by=world.rupn_a, status=ActionStatus.DONE)
    for code in ("PIL.1.01", "PIL.2.01"):
        answer(campaign, world.school_a, code, AnswerStatus.IN_PROGRESS, world.rupn_a)
    client = client_for("rupn_a")
    client.get(updates_url(world, few))  # warms the session and the referential's cache

    def count(action):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(updates_url(world, action)).status_code == 200
        return len(queries)

    assert count(few) == count(many)


def test_a_source_costs_the_save_no_statement_more(world, campaign):
    """The source is written in the history row's own INSERT: the hot save path stays as it was."""
    answer(campaign, world.school_a, "PIL.1.01", AnswerStatus.IN_PROGRESS, world.rupn_a)  # creates the rows

    def statements(status, source):
        indicator = Answer.objects.get().indicator
        with CaptureQueriesContext(connection) as queries:
            assessment_services.save_answer(
                campaign, world.school_a, indicator, status=status, comment="", by=world.rupn_a, source=source
            )
        return len(queries)

    assert statements(AnswerStatus.NOT_DONE, "") == statements(AnswerStatus.DONE, "l’action « X » du plan d’actions")
    assert [c.source for c in history(campaign, world.school_a, "PIL.1.01")] == [
        "l’action « X » du plan d’actions",
        "",
        "",
    ]


def test_marking_the_action_done_on_its_page_shows_the_proposals_there(client_for, world, campaign, plan):
    """The status form of the action's page leads back to the page, which now proposes the indicators."""
    action = action_of(plan, world.rupn_a, "Adopter la charte", ["PIL.1.01"], status=ActionStatus.IN_PROGRESS)
    client = client_for("rupn_a")
    page_url = reverse("plans:action", args=[world.school_a.uai, action.pk])
    assert reverse("plans:apply_indicator", args=[world.school_a.uai, action.pk, "PIL.1.01"]) not in (
        client.get(page_url).content.decode()
    )
    action.refresh_from_db()
    response = client.post(
        reverse("plans:action_status", args=[world.school_a.uai, action.pk]),
        {"status": ActionStatus.DONE, "note": "Charte votée", "seen_revision": action.revision},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == page_url
    assert apply_url(world, action, "PIL.1.01") in page
    assert Answer.objects.filter(indicator__code="PIL.1.01", status=AnswerStatus.DONE).count() == 0  # proposed only
