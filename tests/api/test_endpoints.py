"""The endpoints show each persona what the pages show them: the same `for_user` querysets, the
same figures; bad input is a JSON 400/404, never a 5xx, never another school's row."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from pilotis.api.pagination import MAX_PAGE_SIZE
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.models import AuditEvent
from pilotis.fiches.models import Fiche
from pilotis.plans.models import Action, Plan
from pilotis.steering import figures
from pilotis.steering.perms import departments_for
from pilotis.territories.models import School
from tests.conftest import PERSONAS
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def every_row(client, url, **params):
    """All pages of a list, following `next`."""
    out = []
    response = client.get(url, {"page_size": 2, **params})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        out.extend(body["results"])
        if not body["next"]:
            return out
        response = client.get(body["next"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_what_the_pages_give(world, rows, api_for, persona):
    user = world.persona(persona)
    client = api_for(persona)
    schools = [row["uai"] for row in every_row(client, reverse("api:schools"))]
    assert schools == list(School.objects.for_user(user).order_by("sort_name", "uai").values_list("uai", flat=True))
    campaigns = [row["id"] for row in every_row(client, reverse("api:campaigns"))]
    assert sorted(campaigns) == sorted(Campaign.objects.for_user(user).values_list("pk", flat=True))
    fiches = sorted(row["id"] for row in every_row(client, reverse("api:fiches")))
    assert fiches == sorted(Fiche.objects.for_user(user).in_catalogue().values_list("pk", flat=True))
    for school in (world.school_a, world.school_b, world.school_c):
        readable = School.objects.for_user(user).filter(pk=school.pk).exists()
        response = client.get(reverse("api:plans", args=[school.uai]))
        assert response.status_code == (200 if readable else 404)
        if readable:
            listed = [row["id"] for row in response.json()["results"]]
            assert listed == list(Plan.objects.for_user(user).filter(school=school).values_list("pk", flat=True))
            assessments = client.get(reverse("api:assessments", args=[school.uai])).json()["results"]
            expected = Assessment.objects.for_user(user).filter(school=school).values_list("campaign_id", flat=True)
            assert sorted(row["campaign"] for row in assessments) == sorted(expected)


def test_the_catalogue_holds_shared_fiches_only(world, rows, api_for):
    shared_a, draft_a, school_only_a, shared_c = rows["fiches"]
    titles = {row["title"] for row in api_for("rupn_a").get(reverse("api:fiches")).json()["results"]}
    assert titles == {shared_a.title}  # never a draft, nor what is published for the school alone
    rennes = {row["title"] for row in api_for("dane_rennes").get(reverse("api:fiches")).json()["results"]}
    assert rennes == {shared_c.title}


def test_a_schools_assessment_answers_levels_and_validation(world, rows, api_for):
    campaign = Campaign.objects.get(academy=world.bordeaux)
    body = api_for("correspondant_40").get(reverse("api:assessment", args=[world.school_a.uai, campaign.pk])).json()
    assessment = Assessment.objects.get(school=world.school_a, campaign=campaign)
    assert body["state"] == "validated" and body["validated_at"]
    assert body["domain_levels"] == assessment.domain_levels
    assert [(a["indicator"], a["status"]) for a in body["answers"]] == [("PIL.1.01", "realise")]


def test_the_actions_of_a_plan(world, rows, api_for):
    plan = rows["plan"]
    body = api_for("dane").get(reverse("api:actions", args=[world.school_a.uai, plan.pk])).json()
    action = Action.objects.get(plan=plan)
    assert [(row["id"], row["title"], row["indicators"]) for row in body["results"]] == [
        (action.pk, action.title, ["PIL.2.01"])
    ]
    filtered = api_for("dane").get(reverse("api:actions", args=[world.school_a.uai, plan.pk]), {"status": "done"})
    assert filtered.json()["results"] == []


def test_a_plan_reached_through_another_school_is_not_found(world, rows, api_for):
    """School B's RUPN names school A's plan under their own school: 404, and journaled."""
    plan = rows["plan"]
    client = api_for("rupn_b")
    response = client.get(reverse("api:actions", args=[world.school_b.uai, plan.pk]))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert world.school_a.name not in response.content.decode()
    assert AuditEvent.objects.filter(action="access_denied").exists()
    # Nor through school A itself, which is not theirs.
    assert client.get(reverse("api:actions", args=[world.school_a.uai, plan.pk])).status_code == 404


def test_the_territorys_figures_are_the_dashboards(world, rows, api_for):
    campaign = Campaign.objects.get(academy=world.bordeaux)
    body = api_for("correspondant_40").get(reverse("api:figures", args=[campaign.pk])).json()
    departments = list(departments_for(world.correspondant_40, campaign))
    territory = figures.Territory.of(campaign, departments)
    done = figures.progress(territory)
    assert [d["code"] for d in body["departments"]] == ["040"]
    assert body["progress"]["schools"] == done.schools == 1
    assert body["progress"]["validated"] == done.validated == 1
    assert body["progress"]["shares"]["validated"] is None  # under the small-cell rule
    by_code = {row["code"]: row for row in body["indicators"]}
    expected = {f.indicator.code: f for f in figures.indicators(territory)}
    assert set(by_code) == set(expected)
    assert by_code["PIL.1.01"]["done"] == expected["PIL.1.01"].done == 1
    levels = {row["domain"]: row["counts"] for row in body["levels"]}
    assert levels == {d.domain.code: d.counts for d in figures.level_distribution(territory, "validated", done)}
    trends = api_for("dane").get(reverse("api:trends", args=[campaign.pk])).json()
    assert [c["campaign"]["id"] for c in trends["campaigns"]] == [campaign.pk]


def test_a_departement_outside_ones_territory_is_refused(world, rows, api_for):
    campaign = Campaign.objects.get(academy=world.bordeaux)
    client = api_for("correspondant_40")
    response = client.get(reverse("api:figures", args=[campaign.pk]), {"departement": "064"})
    assert response.status_code == 400
    assert "departement" in response.json()["errors"]
    dane = api_for("dane").get(reverse("api:figures", args=[campaign.pk]), {"departement": "064"}).json()
    assert [d["code"] for d in dane["departments"]] == ["064"]


@pytest.mark.parametrize("persona", ["rupn_a", "dane_rennes", "nobody"])
def test_figures_do_not_exist_outside_the_territory(world, rows, api_for, persona):
    campaign = Campaign.objects.get(academy=world.bordeaux)
    response = api_for(persona).get(reverse("api:figures", args=[campaign.pk]))
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}


def test_school_filters(world, api_for):
    client = api_for("dane")
    url = reverse("api:schools")
    assert [r["uai"] for r in client.get(url, {"departement": "064"}).json()["results"]] == [world.school_b.uai]
    assert [r["uai"] for r in client.get(url, {"type": "lycee_gt"}).json()["results"]] == [world.school_b.uai]
    assert [r["uai"] for r in client.get(url, {"q": "alpha"}).json()["results"]] == [world.school_a.uai]
    assert [r["uai"] for r in client.get(url, {"q": world.school_a.uai.lower()}).json()["results"]] == [
        world.school_a.uai
    ]
    # Another académie's département: nothing, not Rennes' schools.
    assert client.get(url, {"departement": "035"}).json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"unknown": "1"},
        {"school": "1"},
        {"departement": "40"},
        {"departement": "0\x004"},
        {"type": "university"},
        {"q": "a\x00b"},
        {"q": "x" * 101},
        {"page_size": "abc"},
        {"page_size": "-1"},
        {"page_size": "0"},
        {"page": "0"},
        {"page": "last"},
        {"page": "99999999999999999999"},
    ],
)
def test_bad_parameters_are_a_json_400(world, api_for, params):
    response = api_for("dane").get(reverse("api:schools"), params)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Requête invalide." and body["errors"]


def test_a_huge_page_size_is_capped(world, api_for):
    SchoolFactory.create_batch(MAX_PAGE_SIZE + 1, department=world.landes)
    body = api_for("dane").get(reverse("api:schools"), {"page_size": "1000000"}).json()
    assert len(body["results"]) == MAX_PAGE_SIZE
    assert body["count"] == MAX_PAGE_SIZE + 3


def test_a_page_past_the_end_is_a_json_404(world, api_for):
    response = api_for("dane").get(reverse("api:schools"), {"page": "9"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/schools/0000000/",
        "/api/v1/schools/ABCDEFGH/",
        "/api/v1/schools/%00%00%00/",
        "/api/v1/campaigns/1e3/figures/",
        "/api/v1/campaigns/-1/figures/",
        "/api/v1/campaigns/9999999999999999999999999/figures/",
        "/api/v1/nothing/",
        "/api/",
        "/api/v2/schools/",
    ],
)
def test_malformed_ids_and_unknown_addresses_are_a_json_404(world, api_for, path):
    response = api_for("admin").get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_a_foreign_schools_rows_are_not_found(world, rows, api_for):
    client = api_for("chef_c")
    campaign = Campaign.objects.get(academy=world.bordeaux)
    for url in (
        reverse("api:school", args=[world.school_a.uai]),
        reverse("api:assessments", args=[world.school_a.uai]),
        reverse("api:assessment", args=[world.school_a.uai, campaign.pk]),
        reverse("api:plans", args=[world.school_a.uai]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert world.school_a.name not in response.content.decode()


def test_writing_is_not_allowed(world, api_for):
    response = api_for("admin").post(reverse("api:schools"), {"name": "x"}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert response["Content-Type"] == "application/json"
    assert School.objects.count() == 3


def test_a_server_error_under_api_is_json(world, api_for, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("pilotis.api.views.SchoolList.get", boom)
    client = api_for("dane")
    client.raise_request_exception = False
    response = client.get(reverse("api:schools"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "boom" not in response.content.decode()


def test_a_busy_database_is_a_json_503_to_retry(world, api_for, monkeypatch):
    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("pilotis.api.views.SchoolList.get", busy)
    response = api_for("dane").get(reverse("api:schools"))
    assert response.status_code == 503
    assert response["Retry-After"] and response.json()["detail"].startswith("La base de données est occupée")
