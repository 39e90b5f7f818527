"""Beside each indicator of the self-assessment, the actions of the plan that serve it
(`core.panels.indicator_notes`): it informs, it never answers."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.core.panels import IndicatorNote
from pilotis.plans import loop
from pilotis.plans.enums import ActionStatus
from pilotis.plans.notes import actions_serving
from pilotis.referential.models import Indicator
from tests.plans.loop_helpers import action_of, current_campaign, days_ago, last_year, plan_of


@pytest.fixture
def campaign(world, mini_referential):
    return current_campaign(world, mini_referential)


@pytest.fixture
def plan(world, campaign):
    return plan_of(world.school_a, campaign.referential, by=world.rupn_a)


def notes_of(user, school, campaign):
    request = RequestFactory().get("/")
    request.user = user
    return actions_serving(request, school, campaign, list(Indicator.objects.filter(version=campaign.referential)))


def domain_url(world, campaign, code="PIL"):
    return reverse("assessments:domain", args=[world.school_a.uai, campaign.school_year, code])


def test_each_indicator_lists_the_actions_that_serve_it(world, campaign, plan, mini_referential):
    ongoing = action_of(
        plan, world.rupn_a, "Former l'équipe", ["PIL.1.01", "PIL.1.02"], status=ActionStatus.IN_PROGRESS
    )
    late = action_of(plan, world.rupn_a, "Rédiger la charte", ["PIL.1.01"], due_on=days_ago(10))
    action_of(plan, world.rupn_a, "Abandonnée", ["PIL.1.01"], status=ActionStatus.ABANDONED)
    action_of(plan, world.rupn_a, "Voter la charte", ["PIL.1.02"], status=ActionStatus.DONE)
    old = plan_of(world.school_a, mini_referential, first_year="2019-2020", by=world.rupn_a)  # covers another year
    action_of(old, world.rupn_a, "Ancienne action", ["PIL.1.01"])
    plan_b = plan_of(world.school_b, mini_referential, by=world.rupn_b)
    action_of(plan_b, world.rupn_b, "Action de B", ["PIL.1.01"])
    notes = notes_of(world.rupn_a, world.school_a, campaign)
    assert set(notes) == {"PIL.1.01", "PIL.1.02"}
    texts = [note.text for note in notes["PIL.1.01"]]
    assert texts[0] == "Action « Former l'équipe » du plan d’actions — En cours"
    assert texts[1].startswith("Action « Rédiger la charte » du plan d’actions — À faire, échéance le ")
    assert texts[1].endswith(" — En retard")  # said in words, not by a colour
    assert len(texts) == 2  # neither the abandoned action, nor another plan's year, nor school B's
    done = notes["PIL.1.02"][1]
    assert done.text.startswith("Action « Voter la charte » du plan d’actions — Réalisée le ")
    assert notes["PIL.1.01"][0].links == (("Voir l’action", loop.action_path(ongoing)),)
    assert late.pk != ongoing.pk


def test_the_domain_page_shows_the_notes_apart_from_the_answer(client_for, world, campaign, plan):
    action = action_of(plan, world.rupn_a, "Former l'équipe", ["PIL.1.01"], status=ActionStatus.IN_PROGRESS)
    for who in ("rupn_a", "member_a", "correspondant_40"):
        page = client_for(who).get(domain_url(world, campaign)).content.decode()
        # PIL.1.01's block (the action), and the commission's under PIL.2.01 (the indicator that asks
        # for a commission numérique): no other indicator of the domain has one.
        assert page.count("Ce que Pilotis sait par ailleurs") == 2, who
        assert page.count('id="notes-') == 2 and 'id="notes-PIL.2.01"' in page, who
        assert "Action « Former l&#x27;équipe » du plan d’actions — En cours" in page
        assert f'href="{loop.action_path(action)}"' in page
        # Under its indicator, after its inputs, outside the answer's fieldset.
        block = page.index('id="notes-PIL.1.01"')
        assert page.index('id="c-PIL.1.01"') < block < page.index('id="i-PIL.1.02"')
    # Another domain's indicators carry no note of the plan (the equipment needs note theirs there).
    assert "du plan d’actions" not in client_for("rupn_a").get(domain_url(world, campaign, "INF")).content.decode()


def test_the_page_renders_any_apps_notes_the_same_way(client_for, world, campaign, monkeypatch):
    """The commission registers its notes in the same registry: the page's rendering is generic."""
    from pilotis.core import panels

    def commission(request, school, campaign, indicators):
        return {"PIL.2.01": [IndicatorNote("2 réunions cette année", links=(("Réunion du 3 mars", "/reunions/3/"),))]}

    monkeypatch.setitem(panels._INDICATOR_NOTES, "test", panels._Provider(99, commission))
    page = client_for("rupn_a").get(domain_url(world, campaign)).content.decode()
    assert "2 réunions cette année" in page and 'href="/reunions/3/">Réunion du 3 mars<span' in page


def test_the_domain_page_costs_the_same_whatever_the_number_of_actions(client_for, world, campaign, plan):
    action_of(plan, world.rupn_a, "Première", ["PIL.1.01"])
    client = client_for("rupn_a")
    client.get(domain_url(world, campaign))  # warms the session and the caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(domain_url(world, campaign)).status_code == 200
        return len(queries)

    few = count()
    for n in range(12):
        codes = ["PIL.1.01", "PIL.1.02", "PIL.2.01"][: 1 + n % 3]
        action_of(plan, world.rupn_a, f"Action {n}", codes, status=[ActionStatus.TODO, ActionStatus.DONE][n % 2])
    last = plan_of(world.school_a, campaign.referential, first_year=last_year(), last_year=campaign.school_year)
    action_of(last, world.rupn_a, "Plan de l'an dernier", ["PIL.1.02"])
    assert count() == few


def test_no_plan_no_note_and_one_query(world, campaign):
    request = RequestFactory().get("/")
    request.user = world.rupn_a
    indicators = list(Indicator.objects.filter(version=campaign.referential))
    actions_serving(request, world.school_a, campaign, indicators)  # the user's scope, cached
    with CaptureQueriesContext(connection) as queries:
        assert actions_serving(request, world.school_a, campaign, indicators) == {}
    assert len(queries) == 1
