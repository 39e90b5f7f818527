"""The first text of a flash'infos: one section per source that has something in the period, and
nothing else; each source tested alone."""

import datetime

import pytest
from django.utils import timezone

from pilotis.commission import services as commission_services
from pilotis.newsletters import drafting, services
from pilotis.plans import services as plan_services
from pilotis.plans.enums import ActionStatus
from tests.commission.conftest import hold, meeting_at
from tests.fiches import helpers as fiche_helpers
from tests.newsletters.helpers import news, published
from tests.plans.helpers import action, plan, validated  # noqa: F401 — fixtures
from tests.workshops.conftest import a_past_day, record

pytestmark = pytest.mark.django_db


def period(world):
    return drafting.period_for(world.school_a)


def test_an_empty_period_gives_only_the_rupn_s_word(world):
    body = drafting.draft_body(world.school_a, period(world))
    assert body.startswith("## Le mot du RUPN\n\nÀ compléter.")
    assert body.count("## ") == 1
    assert drafting.empty_sections(body) == ["Le mot du RUPN"]


def test_the_period_starts_at_the_school_year_then_at_the_last_issue(world):
    first = period(world)
    assert timezone.localtime(first.start).date() == datetime.date(
        timezone.localdate().year - (timezone.localdate().month < 9), 9, 1
    )
    issue = published(world)
    assert period(world).start == issue.published_at


def test_indicators_now_done(world, validated):  # noqa: F811
    text = drafting.indicators_done(world.school_a, period(world))
    assert text.startswith("## Ce que l’établissement a atteint")
    assert "PIL.1.01" in text and "PIL.1.02" not in text  # « En cours » is not told


def test_plan_actions_done_and_started(world, action):  # noqa: F811
    other = plan_services.create_action(action.plan, by=world.rupn_a, title="Équiper la salle 12")
    plan_services.change_status(action, by=world.rupn_a, status=ActionStatus.DONE)
    plan_services.change_status(other, by=world.rupn_a, status=ActionStatus.IN_PROGRESS)
    text = drafting.plan_actions(world.school_a, period(world))
    assert "Réunir la commission numérique : réalisée le" in text
    assert "Équiper la salle 12 : commencée" in text


def test_fiches_published_by_the_school(world):
    fiche_helpers.published(world, title="Le TNI en géométrie")
    fiche_helpers.draft(world, title="Un brouillon")
    text = drafting.fiches(world.school_a, period(world))
    assert "- Le TNI en géométrie" in text and "brouillon" not in text


def test_workshops_held_and_to_come(world):
    record(world, title="Prise en main de l'ENT", held_on=a_past_day())
    record(world, title="Découvrir Pix", held_on=timezone.localdate() + datetime.timedelta(days=10))
    text = drafting.workshops(world.school_a, period(world))
    held, upcoming = text.split("## Ateliers et formations à venir")
    assert "Prise en main de l'ENT" in held and "Découvrir Pix" in upcoming


def test_decisions_of_validated_minutes_only(world):
    meeting = hold(meeting_at(world, -2), world.chef_a, decisions=("Ouvrir un club de robotique",))
    hold(meeting_at(world, -1), world.chef_a, decisions=("Pas encore validée",))
    commission_services.validate_minutes(meeting, by=world.chef_a)
    text = drafting.commission_decisions(world.school_a, period(world))
    assert "Ouvrir un club de robotique (réunion du" in text
    assert "Pas encore validée" not in text


def test_academy_news_whose_audience_includes_the_school(world):
    news(world, title="Pour toute l'académie")
    news(world, title="Pour les Landes", department=world.landes)
    news(world, title="Pour les Pyrénées", department=world.pyrenees)
    news(world, title="Pour les lycées", school_kind="lycee_gt")
    news(world, title="Retirée", withdrawn_at=timezone.now())
    news(world, title="Non publiée", published_at=None)
    news(world, title="Pour Rennes", academy=world.rennes)
    text = drafting.academy_news(world.school_a, period(world))
    assert "### Pour toute l'académie" in text and "### Pour les Landes" in text
    assert "En savoir plus : https://example.org/semaine" in text
    for absent in ("Pyrénées", "lycées", "Retirée", "Non publiée", "Rennes"):
        assert absent not in text


def test_the_draft_holds_every_source_with_something(world):
    record(world, title="Prise en main de l'ENT", held_on=a_past_day())
    news(world)
    issue = services.prepare_draft(world.school_a, by=world.rupn_a)
    assert "## Ateliers et formations qui ont eu lieu" in issue.body
    assert "## Les actualités de l’académie" in issue.body
    assert "## Nos fiches d’usage" not in issue.body


def test_empty_sections_are_named():
    body = "## A\n\nÀ compléter.\n\n## B\n\n### c\n\ntexte\n\n## D\n\n## E\n\nfin"
    assert drafting.empty_sections(body) == ["A", "D"]
