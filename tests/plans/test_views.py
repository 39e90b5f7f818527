# ruff: noqa: F811 — the fixtures of tests/plans/helpers.py are imported, then named as arguments
"""The plan's pages for each role: readers read, writers write, the direction adopts, the member
named responsible changes the status of their action; bad input and stale pages lose nothing."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Assessment
from pilotis.plans import services, views
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, ActionEvent, Plan, PlanVersion, SuggestedAction
from tests.factories import open_campaign
from tests.plans.helpers import YEAR, action, indicator, plan, validated  # noqa: F401

pytestmark = pytest.mark.django_db

READERS = ["chef_a", "adjoint_a", "rupn_a", "member_a", "correspondant_40", "dane"]


def _text(response):
    return html.unescape(response.content.decode()).replace("'", "’")


@pytest.mark.parametrize("persona", READERS)
def test_every_reader_reads_the_plan(client_for, world, plan, action, persona):
    response = client_for(persona).get(reverse("plans:home", args=[world.school_a.uai]))
    page = _text(response)
    assert response.status_code == 200
    assert "Réunir la commission numérique" in page and "Pas encore adopté" in page
    writes = persona in ("chef_a", "adjoint_a", "rupn_a")
    assert ("Ajouter une action" in page) is writes
    assert ("Valider le plan" in page) is (persona in ("chef_a", "adjoint_a"))


def test_overdue_actions_say_so_in_words(client_for, world, plan):
    services.create_action(plan, by=world.rupn_a, title="Action oubliée", due_on=datetime.date(2026, 1, 5))
    page = _text(client_for("member_a").get(reverse("plans:home", args=[world.school_a.uai])))
    assert "En retard" in page and "1 en retard" in page


def test_without_plan_the_page_says_what_to_do(client_for, world, mini_referential):
    url = reverse("plans:home", args=[world.school_a.uai])
    page = _text(client_for("rupn_a").get(url))
    assert "Validez d’abord l’autodiagnostic" in page and "Préparer le plan" not in page


def test_with_a_validated_assessment_the_writer_prepares(client_for, world, validated):
    page = _text(client_for("rupn_a").get(reverse("plans:home", args=[world.school_a.uai])))
    assert reverse("plans:prepare", args=[world.school_a.uai]) in page


def test_prepare_lists_what_is_not_done_with_suggestions_and_creates(client_for, world, validated, mini_referential):
    suggestion = SuggestedAction.objects.create(indicator_code="PIL.2.01", title="Installer la commission")
    SuggestedAction.objects.create(indicator_code="PIL.2.01", title="Suggestion retirée", is_active=False, position=1)
    client = client_for("rupn_a")
    url = reverse("plans:prepare", args=[world.school_a.uai])
    page = _text(client.get(url))
    assert "PIL.1.02" in page and "PIL.2.01" in page and "INF.1.01" in page
    assert "PIL.1.01" not in page  # Réalisé
    assert "Installer la commission" in page and "Suggestion retirée" not in page
    assert "deux ou trois priorités" in page
    assert page.index("PIL.1.02") < page.index("PIL.2.01") < page.index("INF.1.01")
    pil2 = indicator(mini_referential, "PIL.2.01")
    inf = indicator(mini_referential, "INF.1.01")
    data = {
        "priorities": [f"{pil2.pk}-{suggestion.pk}", f"{inf.pk}-0"],
        "first_year": YEAR,
        "duration": "2",
        "title": "",
    }
    response = client.post(url, data)
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[world.school_a.uai, plan.pk])
    assert sorted(Action.objects.values_list("title", flat=True)) == sorted(
        ["Installer la commission", f"INF.1.01 — {inf.statement}"]
    )


def test_prepare_refuses_four_years_and_writes_nothing(client_for, world, validated, mini_referential):
    inf = indicator(mini_referential, "INF.1.01")
    response = client_for("chef_a").post(
        reverse("plans:prepare", args=[world.school_a.uai]),
        {"priorities": [f"{inf.pk}-0"], "first_year": YEAR, "duration": "4"},
    )
    assert response.status_code == 400 and "pas davantage" in _text(response)
    assert not Plan.objects.exists()


def test_many_priorities_get_a_soft_warning(client_for, world, validated, mini_referential, monkeypatch):
    monkeypatch.setattr(views, "MANY_PRIORITIES", 1)
    keys = [f"{indicator(mini_referential, code).pk}-0" for code in ("PIL.1.02", "INF.1.01")]
    response = client_for("rupn_a").post(
        reverse("plans:prepare", args=[world.school_a.uai]),
        {"priorities": keys, "first_year": YEAR, "duration": "1"},
        follow=True,
    )
    assert "deux ou trois se conduit mieux" in _text(response)
    assert Action.objects.count() == 2


def test_an_action_page_shows_its_journal_and_the_responsible_may_change_its_status(client_for, world, action):
    url = reverse("plans:action", args=[world.school_a.uai, action.pk])
    client = client_for("member_a")
    page = _text(client.get(url))
    assert "Journal" in page and "Changer l’état" in page and "Modifier l’action" not in page
    response = client.post(
        reverse("plans:action_status", args=[world.school_a.uai, action.pk]),
        {"status": "in_progress", "note": "Date fixée", "seen_revision": "0"},
    )
    assert response.status_code == 302
    assert ActionEvent.objects.filter(action=action, status_after="in_progress", note="Date fixée").exists()


def test_a_reader_who_is_not_responsible_gets_no_status_form(client_for, world, action):
    page = _text(client_for("correspondant_40").get(reverse("plans:action", args=[world.school_a.uai, action.pk])))
    assert "Changer l’état" not in page and "Réunir la commission numérique" in page


def test_a_stale_status_change_keeps_the_note(client_for, world, action):
    services.change_status(action, by=world.rupn_a, status=ActionStatus.IN_PROGRESS)
    response = client_for("member_a").post(
        reverse("plans:action_status", args=[world.school_a.uai, action.pk]),
        {"status": "done", "note": "Ma note précieuse", "seen_revision": "0"},
    )
    assert response.status_code == 409
    assert "Ma note précieuse" in _text(response) and "modifiée depuis" in _text(response)
    assert Action.objects.get().status == ActionStatus.IN_PROGRESS


def _action_post(action, **changes):
    data = {
        "title": action.title,
        "description": "",
        "objective": "",
        "responsible": str(action.responsible_id or ""),
        "responsible_label": "",
        "contributors_text": "",
        "starts_on": "2026-10-01",
        "due_on": "2027-03-01",
        "means": "",
        "cost": "",
        "payer": "",
        "success_criteria": "",
        "seen_revision": str(action.revision),
    }
    data.update(changes)
    return data


def test_a_stale_edit_shows_the_typed_values_back(client_for, world, action):
    url = reverse("plans:action_edit", args=[world.school_a.uai, action.pk])
    stale = _action_post(action, title="Mon titre tapé", means="Mes moyens tapés")
    services.update_action(action, by=world.chef_a, seen_revision=0, title="Titre de la direction")
    response = client_for("rupn_a").post(url, stale)
    page = _text(response)
    assert response.status_code == 409
    assert "Mon titre tapé" in page and "Mes moyens tapés" in page and "Quelqu’un a modifié cette action" in page
    assert Action.objects.get().title == "Titre de la direction"
    # Saving again, now knowingly, is accepted.
    response = client_for("rupn_a").post(url, {**stale, "seen_revision": "1"})
    assert response.status_code == 302 and Action.objects.get().title == "Mon titre tapé"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_on": "2027-04-01", "due_on": "2027-03-01"}, "L’échéance doit suivre la date de début"),
        ({"responsible": "RUPN_B"}, "Le responsable doit être un membre"),
        ({"contributors": ["RUPN_B"]}, "doivent être membres"),
        ({"indicators": ["999999"]}, "pas dans le référentiel du plan"),
        ({"cost": "-3"}, "négatif"),
    ],
)
def test_bad_action_input_is_refused_in_french(client_for, world, action, changes, message):
    changes = {
        key: ([str(world.rupn_b.pk)] if value == ["RUPN_B"] else str(world.rupn_b.pk) if value == "RUPN_B" else value)
        for key, value in changes.items()
    }
    response = client_for("rupn_a").post(
        reverse("plans:action_edit", args=[world.school_a.uai, action.pk]),
        _action_post(action, title="Changé", **changes),
    )
    assert response.status_code == 400 and message in _text(response)
    assert Action.objects.get().title == "Réunir la commission numérique"


def test_adding_an_action_with_all_its_fields(client_for, world, plan, mini_referential):
    objective = services.save_objective(plan, by=world.rupn_a, title="Piloter")
    pil = indicator(mini_referential, "PIL.1.02")
    data = _action_post(
        Action(title="Nouvelle action", revision=0),
        objective=str(objective.pk),
        responsible="",
        responsible_label="gestionnaire",
        contributors=[str(world.member_a.pk)],
        cost="450.50",
        payer="collectivity",
        indicators=[str(pil.pk)],
    )
    response = client_for("rupn_a").post(reverse("plans:action_add", args=[world.school_a.uai, plan.pk]), data)
    assert response.status_code == 302
    created = Action.objects.get()
    assert (created.responsible_label, created.payer, str(created.cost), created.objective) == (
        "gestionnaire",
        "collectivity",
        "450.50",
        objective,
    )
    assert list(created.contributors.all()) == [world.member_a] and list(created.indicators.all()) == [pil]


def test_adopt_asks_first_then_keeps_a_version(client_for, world, plan, action):
    url = reverse("plans:adopt", args=[world.school_a.uai, plan.pk])
    client = client_for("chef_a")
    page = _text(client.get(url))
    assert re.search(r"ses 0 objectifs? et ses 1 action,", page) and "Le plan n’a aucun objectif" in page
    plan.refresh_from_db()
    data = {"body": "board", "adopted_on": datetime.date.today().isoformat(), "seen_revision": str(plan.revision)}
    stale = {**data, "seen_revision": str(plan.revision - 1)}
    response = client.post(url, stale)
    assert response.status_code == 200 and "Le plan a changé" in _text(response) and not PlanVersion.objects.exists()
    response = client.post(url, {**data, "adopted_on": "2099-01-01"})
    assert response.status_code == 400 and "futur" in _text(response)
    response = client.post(url, data)
    assert response.status_code == 302
    version = PlanVersion.objects.get()
    page = _text(client.get(reverse("plans:home", args=[world.school_a.uai])))
    assert "par le conseil d’administration, version 1" in page
    services.update_action(action, by=world.rupn_a, seen_revision=0, title="Titre changé ensuite")
    page = _text(client.get(reverse("plans:home", args=[world.school_a.uai])))
    assert "version 2 en préparation" in page
    old = _text(client.get(reverse("plans:version", args=[world.school_a.uai, plan.pk, version.number])))
    assert "Réunir la commission numérique" in old and "Titre changé ensuite" not in old


def test_deleting_an_action_asks_first(client_for, world, action):
    url = reverse("plans:action_delete", args=[world.school_a.uai, action.pk])
    page = _text(client_for("chef_a").get(url))
    assert "Son journal (1 entrée) sera perdu" in page and Action.objects.exists()
    assert client_for("chef_a").post(url).status_code == 302
    assert not Action.objects.exists()


def test_objective_with_targets(client_for, world, plan, mini_referential):
    pil = indicator(mini_referential, "PIL.1.02")
    url = reverse("plans:objective_add", args=[world.school_a.uai, plan.pk])
    data = {
        "title": "Piloter",
        "target_0_indicator": pil.pk,
        "target_0_status": "realise",
        "target_0_year": "2027-2028",
    }
    assert client_for("rupn_a").post(url, data).status_code == 302
    page = _text(client_for("member_a").get(reverse("plans:home", args=[world.school_a.uai])))
    assert "Piloter" in page and "PIL.1.02" in page and "d’ici 2027-2028" in page
    bad = {**data, "target_0_year": "2031-2032"}
    response = client_for("rupn_a").post(url, bad)
    assert response.status_code == 400 and plan.objectives.count() == 1


def test_a_new_campaign_lists_unfinished_actions_for_an_explicit_choice(client_for, world, mini_referential):
    last = open_campaign(world, mini_referential, "2025-2026")
    assessment_services.save_answer(
        last, world.school_a, indicator(mini_referential, "PIL.1.01"), status="realise", comment="", by=world.rupn_a
    )
    assessment = Assessment.objects.get(campaign=last)
    assessment_services.validate_assessment(assessment, by=world.chef_a)
    assessment.refresh_from_db()
    open_campaign(world, mini_referential, YEAR)
    plan = services.create_plan(
        world.school_a, by=world.rupn_a, first_year="2025-2026", duration=2, assessment=assessment
    )
    late = services.create_action(plan, by=world.rupn_a, title="Action en retard", due_on=datetime.date(2026, 5, 1))
    services.create_action(plan, by=world.rupn_a, title="Action faite", status=ActionStatus.DONE)
    client = client_for("rupn_a")
    page = _text(client.get(reverse("plans:home", args=[world.school_a.uai])))
    assert "Une nouvelle campagne a commencé" in page
    section = page[page.index("Une nouvelle campagne a commencé") : page.index("Objectifs et actions")]
    assert "Action en retard" in section and "Action faite" not in section
    # Nothing happened by itself.
    assert Action.objects.get(pk=late.pk).status == ActionStatus.TODO
    url = reverse("plans:action_carry_over", args=[world.school_a.uai, late.pk])
    response = client.post(url, {"decision": "postpone", "note": "", "seen_revision": "0"}, follow=True)
    assert "n’a pas changé" in _text(response) and Action.objects.get(pk=late.pk).status == "todo"
    due = (datetime.date.today() + datetime.timedelta(days=120)).isoformat()
    client.post(url, {"decision": "postpone", "due_on": due, "note": "L'an prochain", "seen_revision": "0"})
    late.refresh_from_db()
    assert late.status == ActionStatus.POSTPONED and late.due_on.isoformat() == due
    page = _text(client.get(reverse("plans:home", args=[world.school_a.uai])))
    assert "Une nouvelle campagne a commencé" not in page


def _count_queries(client, url):
    client.get(url)  # the session's and the scope's first reads are not the page's
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_plan_and_action_pages_cost_the_same_for_3_and_30_actions(client_for, world, plan, action, mini_referential):
    objective = services.save_objective(
        plan, by=world.rupn_a, title="O", targets=[(indicator(mini_referential, "PIL.1.02"), "realise", YEAR)]
    )
    client = client_for("rupn_a")
    home = reverse("plans:home", args=[world.school_a.uai])
    page = reverse("plans:action", args=[world.school_a.uai, action.pk])

    def add(n):
        for i in range(n):
            services.create_action(
                plan,
                by=world.rupn_a,
                title=f"Action {i}",
                objective=objective if i % 2 else None,
                responsible=world.member_a,
            )
            services.change_status(action, by=world.rupn_a, status="in_progress" if i % 2 == 0 else "todo", note=str(i))

    add(2)
    small = (_count_queries(client, home), _count_queries(client, page))
    add(27)
    assert Action.objects.count() == 30
    assert (_count_queries(client, home), _count_queries(client, page)) == small


def test_the_school_page_shows_the_plan_panel(client_for, world, validated):
    url = reverse("territories:school_detail", args=[world.school_a.uai])
    page = _text(client_for("rupn_a").get(url))
    assert "Plan d’actions" in page and reverse("plans:prepare", args=[world.school_a.uai]) in page
    page = _text(client_for("member_a").get(url))
    assert reverse("plans:prepare", args=[world.school_a.uai]) not in page
    plan = services.create_plan(world.school_a, by=world.rupn_a, first_year=YEAR, duration=1, assessment=validated)
    services.create_action(plan, by=world.rupn_a, title="En retard", due_on=datetime.date(2026, 1, 1))
    page = _text(client_for("rupn_a").get(url))
    assert reverse("plans:prepare", args=[world.school_a.uai]) not in page
    assert "Pas encore adopté" in page and "1 en retard" in page


def test_the_synthesis_offers_to_prepare_the_plan_to_its_writers(rf, world, validated):
    """One « Préparer le plan d'actions » on the synthesis: the plan's block of the synthesis
    (plans.notes.actions_done) carries it, for the plan's writers, while no plan covers the year."""
    from pilotis.core.panels import synthesis_panels_for
    from pilotis.plans.models import Plan as PlanModel

    prepare = reverse("plans:prepare", args=[world.school_a.uai])

    def offers(user):
        request = rf.get("/")
        request.user = user
        found = [p.data.get("prepare_url") for p in synthesis_panels_for(request, world.school_a, validated.campaign)]
        return [url for url in found if url]

    assert offers(world.rupn_a) == [prepare]
    assert offers(world.member_a) == []
    services.create_plan(world.school_a, by=world.rupn_a, first_year=YEAR, duration=1, assessment=validated)
    assert PlanModel.objects.exists() and offers(world.rupn_a) == []


def test_prepare_and_versions_cost_the_same_with_more_rows(client_for, world, validated, mini_referential):
    client = client_for("chef_a")
    prepare = reverse("plans:prepare", args=[world.school_a.uai])
    SuggestedAction.objects.create(indicator_code="PIL.2.01", title="Suggestion 0")
    small = _count_queries(client, prepare)
    for n in range(1, 12):
        SuggestedAction.objects.create(
            indicator_code=("PIL.2.01", "INF.1.01")[n % 2], title=f"Suggestion {n}", position=n
        )
    assert _count_queries(client, prepare) == small
    plan = services.create_plan(world.school_a, by=world.rupn_a, first_year=YEAR, duration=1, assessment=validated)
    versions = reverse("plans:versions", args=[world.school_a.uai, plan.pk])
    services.create_action(plan, by=world.rupn_a, title="Première")

    def adopt():
        plan.refresh_from_db()
        services.adopt_plan(
            plan, by=world.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
        )
        services.create_action(plan, by=world.rupn_a, title="Encore une")

    adopt()
    small = _count_queries(client, versions)
    for _n in range(5):
        adopt()
    assert PlanVersion.objects.count() == 6 and _count_queries(client, versions) == small


def test_prepare_says_what_the_plan_already_serves(client_for, world, plan, action):
    page = _text(client_for("rupn_a").get(reverse("plans:prepare", args=[world.school_a.uai])))
    assert "s’ajouteront au plan" in page
    assert page.count("déjà servi par une action du plan") == 1
    assert page.index("PIL.2.01") < page.index("déjà servi par une action du plan") < page.index("INF.1.01")


def test_a_member_changes_only_the_status_of_their_own_actions(client_for, world, plan, action):
    other = services.create_action(plan, by=world.rupn_a, title="Celle du RUPN", responsible=world.rupn_a)
    client = client_for("member_a")
    page = _text(client.get(reverse("plans:action", args=[world.school_a.uai, other.pk])))
    assert "Changer l’état" not in page
    response = client.post(
        reverse("plans:action_status", args=[world.school_a.uai, other.pk]),
        {"status": "done", "note": "Non", "seen_revision": "0"},
    )
    assert response.status_code == 403 and Action.objects.get(pk=other.pk).status == ActionStatus.TODO
    response = client.post(
        reverse("plans:action_edit", args=[world.school_a.uai, action.pk]), _action_post(action, title="Renommée")
    )
    assert response.status_code == 403 and Action.objects.get(pk=action.pk).title == "Réunir la commission numérique"
