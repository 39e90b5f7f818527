"""Pilotage's « Plans d'actions »: adopted plans per département, the indicators the plans aim at,
each school's actions and meetings, the small-cell rule, scope, exports and query counts."""

import csv
import datetime
import io

import odfdo
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotis.commission.enums import MeetingState
from pilotis.commission.models import Meeting
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, Objective, ObjectiveTarget, Plan
from pilotis.referential.models import Indicator, ReferentialVersion
from pilotis.steering import plan_tallies, plans
from pilotis.territories.models import School
from pilotis.territories.signals import schools_regrouped
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

YEAR = "2026-2027"
TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=10)
LATER = TODAY + datetime.timedelta(days=30)


def make_plan(campaign, school, *, adopted=True, first_year=YEAR, last_year="2027-2028", actions=(), targets=()):
    """A plan written with the models (the plans' services belong to their app): `actions` are
    (status, due_on, indicator codes), `targets` the codes an objective aims at. The school is
    recounted at the end, as the services' `plan_changed` does."""
    plan = Plan.objects.create(
        school=school,
        referential=campaign.referential,
        campaign=campaign,
        first_year=first_year,
        last_year=last_year,
        revision=1,
        adopted_revision=1 if adopted else None,
    )
    by_code = {i.code: i for i in Indicator.objects.filter(version=campaign.referential)}
    objective = Objective.objects.create(plan=plan, title="Objectif")
    for code in targets:
        ObjectiveTarget.objects.create(objective=objective, indicator=by_code[code], by_year=last_year)
    for n, (status, due_on, codes) in enumerate(actions):
        action = Action.objects.create(
            plan=plan, school=school, objective=objective, title=f"Action {n}", status=status, due_on=due_on
        )
        action.indicators.set([by_code[code] for code in codes])
    plan_tallies.recount([school.pk])
    return plan


def meeting(school, *, state=MeetingState.HELD, day=None):
    day = day or datetime.date(2026, 11, 5)
    moment = datetime.datetime(day.year, day.month, day.day, 17, tzinfo=timezone.get_current_timezone())
    return Meeting.objects.create(school=school, starts_at=moment, state=state)


@pytest.fixture
def landes(world):
    """Six more collèges in the Landes: seven with school A, enough for shares there."""
    return [SchoolFactory(name=f"Collège Landais {n}", department=world.landes) for n in range(6)]


@pytest.fixture
def planned(world, campaign, landes):
    """School A: an adopted plan, actions in every state (one overdue, one not yet due), three
    meetings this year of which two held. Two Landes collèges: one adopted plan, one in
    preparation. School B (Pyrénées-Atlantiques): an adopted plan. A plan of an earlier
    period does not cover the year."""
    make_plan(
        campaign,
        world.school_a,
        actions=[
            (ActionStatus.DONE, PAST, ["PIL.1.01"]),
            (ActionStatus.DONE, None, ["PIL.1.01", "PED.1.01"]),
            (ActionStatus.IN_PROGRESS, PAST, ["FOR.1.01"]),
            (ActionStatus.IN_PROGRESS, LATER, []),
            (ActionStatus.TODO, PAST, []),
            (ActionStatus.POSTPONED, PAST, []),
            (ActionStatus.ABANDONED, PAST, []),
        ],
        targets=["PIL.1.01", "INF.1.01"],
    )
    meeting(world.school_a)
    meeting(world.school_a, state=MeetingState.VALIDATED, day=datetime.date(2027, 3, 2))
    meeting(world.school_a, state=MeetingState.PLANNED, day=datetime.date(2027, 5, 2))
    meeting(world.school_a, day=datetime.date(2026, 5, 2))  # last school year
    make_plan(campaign, landes[0], actions=[(ActionStatus.TODO, LATER, ["PIL.1.01"])])
    make_plan(campaign, landes[1], adopted=False, targets=["FOR.1.01"])
    make_plan(
        campaign,
        landes[2],
        first_year="2024-2025",
        last_year="2025-2026",
        actions=[(ActionStatus.TODO, PAST, ["INF.1.01"])],
    )
    make_plan(campaign, world.school_b, actions=[(ActionStatus.DONE, None, ["PIL.1.01"])])
    return campaign


def get(client_for, persona, name, campaign, **params):
    response = client_for(persona).get(reverse(f"steering:{name}", args=[campaign.pk]), params)
    if name == "plans":
        # The counters say what the raw rows say.
        territory, departments = response.context["territory"], response.context["territory_departments"]
        assert response.context["adoption"] == plans.compute_adoption(territory, departments)
        assert response.context["aimed"] == plans.compute_aimed_indicators(territory)
    return response


def test_share_of_schools_with_an_adopted_plan_per_departement(client_for, world, planned):
    response = get(client_for, "dane", "plans", planned)
    assert response.status_code == 200
    adoption = response.context["adoption"]
    by_code = {line.code: line for line in adoption.lines}
    landes = by_code[world.landes.short_code]
    # Seven Landes schools: A and one collège adopted, one more in preparation.
    assert (landes.schools, landes.with_plan, landes.adopted) == (7, 3, 2)
    assert landes.adopted_share == pytest.approx(2 / 7)
    # One school in the Pyrénées-Atlantiques: counts, no share (small-cell rule).
    pyrenees = by_code[world.pyrenees.short_code]
    assert (pyrenees.schools, pyrenees.adopted, pyrenees.adopted_share) == (1, 1, None)
    assert (adoption.total.schools, adoption.total.adopted) == (8, 3)
    html = response.content.decode()
    assert "28,6 %" in html and "37,5 %" in html  # 2/7 in the Landes, 3/8 in total


def test_a_closed_school_leaves_the_figures(client_for, world, planned, landes):
    landes[0].is_open = False
    landes[0].save()
    schools_regrouped.send(sender=School, school_ids=[landes[0].pk])  # as the admin and the import do
    adoption = get(client_for, "dane", "plans", planned).context["adoption"]
    assert (adoption.total.schools, adoption.total.adopted) == (7, 2)


def test_the_indicators_aimed_at_most_count_schools_not_actions(client_for, world, planned):
    aimed = get(client_for, "dane", "plans", planned).context["aimed"]
    counts = [(a.code, a.schools) for a in aimed]
    # PIL.1.01: school A (two actions and an objective: once), a Landes collège, school B.
    # FOR.1.01: school A's action, a Landes collège's objective. INF.1.01: school A's objective only
    # (the old plan's action does not cover the year). PED.1.01: school A.
    assert counts == [("PIL.1.01", 3), ("FOR.1.01", 2), ("INF.1.01", 1), ("PED.1.01", 1)]
    first = aimed[0]
    pil = Indicator.objects.get(version=planned.referential, code="PIL.1.01")
    assert (first.statement, first.domain, first.level) == (pil.statement, pil.domain.title, 1)
    assert first.share == pytest.approx(3 / 8)


def test_a_correspondent_counts_their_departement_only(client_for, world, planned):
    response = get(client_for, "correspondant_40", "plans", planned)
    assert [line.code for line in response.context["adoption"].lines] == [world.landes.short_code]
    aimed = {a.code: a.schools for a in response.context["aimed"]}
    assert aimed["PIL.1.01"] == 2  # school B's plan is not theirs
    # Asking for another département by hand is ignored, and said so.
    forced = get(client_for, "correspondant_40", "plans", planned, department=world.pyrenees.pk)
    assert forced.context["adoption"].total.schools == 7
    assert "ignorés" in forced.content.decode()
    schools = get(client_for, "correspondant_40", "plans_schools", planned)
    assert world.school_b.name not in schools.content.decode()


def test_the_departement_filter_narrows_every_figure(client_for, world, planned):
    response = get(client_for, "dane", "plans", planned, department=world.pyrenees.pk)
    assert response.context["adoption"].total.schools == 1
    aimed = response.context["aimed"]
    assert [(a.code, a.schools, a.share) for a in aimed] == [("PIL.1.01", 1, None)]
    assert "%" not in response.content.decode().split("<tbody>")[2].split("</tbody>")[0]


def test_per_school_actions_and_meetings(client_for, world, planned, landes):
    response = get(client_for, "dane", "plans_schools", planned)
    lines = {line.school.pk: line for line in response.context["lines"]}
    a = lines[world.school_a.pk]
    # Done 2; in progress 2; overdue: in progress and to do past due (not postponed, not abandoned).
    assert (a.adopted, a.done, a.in_progress, a.overdue, a.actions) == (True, 2, 2, 2, 7)
    assert a.meetings == 2  # held and validated this year; not the planned one, not last year's
    assert (lines[landes[1].pk].has_plan, lines[landes[1].pk].adopted) == (True, False)
    old = lines[landes[2].pk]  # its plan ended last year
    assert (old.has_plan, old.overdue) == (False, 0)
    html = response.content.decode()
    assert f'href="{plans.plan_url(world.school_a.uai)}"' in html
    assert plans.plan_url(world.school_a.uai) == f"/etablissements/{world.school_a.uai}/plan/"
    assert "2 en retard" in html  # said in words, not by colour alone
    for label in ("Adopté", "En préparation", "Aucun plan"):
        assert label in html
    names = [line.school.name for line in response.context["lines"]]
    assert names == sorted(names, key=lambda n: n.lower())


def test_the_plans_tab_is_in_the_boards_nav(client_for, planned):
    html = get(client_for, "dane", "progress", planned).content.decode()
    assert reverse("steering:plans", args=[planned.pk]) in html
    assert "Plans d&#x27;actions" in html or "Plans d'actions" in html


def _csv_rows(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _export(client, campaign, table, fmt, **params):
    return client.get(reverse("steering:plans_export", args=[campaign.pk, table, fmt]), params)


def test_exports_give_the_pages_figures(client_for, world, planned):
    client = client_for("dane")
    page = get(client_for, "dane", "plans", planned).context
    adoption = _csv_rows(_export(client, planned, "adoption", "csv"))
    assert adoption[0][:3] == ["Département", "Nom", "Établissements"]
    lines = [*page["adoption"].lines, page["adoption"].total]
    assert [(row[2], row[3], row[5]) for row in adoption[1:]] == [
        (str(line.schools), str(line.with_plan), str(line.adopted)) for line in lines
    ]
    landes = next(row for row in adoption[1:] if row[1] == world.landes.name)
    assert landes[6] == "28,6"  # as the page rounds it
    pyrenees = next(row for row in adoption[1:] if row[1] == world.pyrenees.name)
    assert pyrenees[6] == ""  # the small-cell rule: an empty cell, never a number

    aimed = _csv_rows(_export(client, planned, "indicators", "csv"))
    assert [(row[1], int(row[5])) for row in aimed[1:]] == [(a.code, a.schools) for a in page["aimed"]]

    schools_page = get(client_for, "dane", "plans_schools", planned).context["lines"]
    exported = _csv_rows(_export(client, planned, "schools", "csv"))
    assert [row[0] for row in exported[1:]] == [line.school.uai for line in schools_page]
    assert [[int(v) for v in row[4:8]] for row in exported[1:]] == [
        [line.done, line.in_progress, line.overdue, line.meetings] for line in schools_page
    ]
    row_a = next(row for row in exported[1:] if row[0] == world.school_a.uai)
    assert row_a[3] == "Adopté"

    ods = _export(client, planned, "schools", "ods")
    assert ods.status_code == 200
    table = odfdo.Document(io.BytesIO(ods.content)).body.get_table(0)
    assert table.height == len(exported)
    assert [table.get_cell((0, y)).value for y in range(1, table.height)] == [row[0] for row in exported[1:]]
    assert _export(client, planned, "nothing", "csv").status_code == 404
    assert _export(client, planned, "schools", "pdf").status_code == 404


def test_the_export_follows_the_departement_filter(client_for, world, planned):
    rows = _csv_rows(_export(client_for("dane"), planned, "schools", "csv", department=world.pyrenees.pk))
    assert [row[0] for row in rows[1:]] == [world.school_b.uai]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name, suffix",
    [
        ("plans", ""),
        ("plans_schools", ""),
        ("plans_export", "schools.csv"),
        ("plans_export", "indicators.ods"),
        ("plans_export", "adoption.csv"),
    ],
)
def test_query_count_does_not_grow_with_schools_plans_and_actions(client_for, world, planned, name, suffix):
    client = client_for("dane")
    url = (
        reverse(f"steering:{name}", args=[planned.pk])
        if not suffix
        else reverse("steering:plans_export", args=[planned.pk, *suffix.split(".")])
    )
    client.get(url)  # warm the per-process caches
    before = _queries(client, url)
    for n in range(30):
        school = SchoolFactory(name=f"Collège supplémentaire {n}", department=world.gironde)
        make_plan(
            planned,
            school,
            adopted=n % 2 == 0,
            actions=[(ActionStatus.IN_PROGRESS, PAST, ["PIL.1.01", "FOR.1.01"]), (ActionStatus.DONE, None, [])],
            targets=["PED.1.01"],
        )
        meeting(school)
    assert _queries(client, url) == before


def test_indicators_are_counted_by_code_across_referential_versions(
    client_for, world, campaign, landes, mini_referential
):
    """A plan rests on the referential of the diagnosis it was built from, maybe an older version
    than the campaign's: its indicators count under their code, named as the campaign names them."""
    older = ReferentialVersion.objects.get(version=mini_referential.version)
    plan = Plan.objects.create(school=world.school_a, referential=older, first_year=YEAR, last_year=YEAR)
    action = Action.objects.create(plan=plan, school=world.school_a, title="Ancienne version")
    action.indicators.set([Indicator.objects.get(version=older, code="PIL.1.01")])
    plan_tallies.recount([world.school_a.pk])
    make_plan(campaign, landes[0], actions=[(ActionStatus.TODO, LATER, ["PIL.1.01"])])
    aimed = get(client_for, "dane", "plans", campaign).context["aimed"]
    current = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    assert [(a.code, a.schools, a.statement) for a in aimed] == [("PIL.1.01", 2, current.statement)]
