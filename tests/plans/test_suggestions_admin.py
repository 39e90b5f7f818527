"""The catalogue in the admin: the shipped suggestions are read-only (the file is their source),
an académie's are added and edited there, journaled, and none is ever deleted; the plan's own
models are read, never changed, there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.plans.models import Plan, PlanVersion, SuggestedAction
from pilotis.plans.suggestions import load_suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(referential):
    load_suggestions()
    return SuggestedAction.objects.get(academy=None, indicator_code="PIL.2.01", position=1)


def form_data(**changes):
    data = {
        "academy": "",
        "indicator_code": "PIL.2.01",
        "title": "Inviter le correspondant de la DANE à une réunion de la commission",
        "description": "Le correspondant présente les outils académiques.",
        "means": "Une réunion.",
        "success_criteria": "Sa présence au compte rendu.",
        "position": "1",
        "is_active": "on",
    }
    return data | changes


def test_a_shipped_suggestion_is_shown_but_not_changed(client_for, shipped):
    client = client_for("admin")
    url = reverse("admin:plans_suggestedaction_change", args=[shipped.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "rechargées depuis le fichier" in html
    assert 'name="title"' not in html

    response = client.post(url, form_data(title="Autre chose"))

    assert response.status_code == 403
    shipped.refresh_from_db()
    assert shipped.title != "Autre chose"
    assert (
        client.post(reverse("admin:plans_suggestedaction_delete", args=[shipped.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert SuggestedAction.objects.filter(pk=shipped.pk).exists()


def test_the_dane_adds_a_suggestion_for_its_academie(client_for, world, shipped):
    client = client_for("admin")
    url = reverse("admin:plans_suggestedaction_add")

    response = client.post(url, form_data(academy=str(world.bordeaux.pk), indicator_code="pil.2.01"))

    assert response.status_code == 302
    added = SuggestedAction.objects.get(academy=world.bordeaux)
    assert (added.indicator_code, added.created_by) == ("PIL.2.01", world.admin)
    event = AuditEvent.objects.get(action=AuditAction.SUGGESTIONS_CHANGED, object_id=str(added.pk))
    assert event.actor == world.admin and event.after["academy"] == world.bordeaux.code

    # A reload of the shipped file leaves it alone.
    load_suggestions()
    added.refresh_from_db()
    assert added.is_active and added.title.startswith("Inviter")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"academy": ""}, "academy", "Ce champ est obligatoire."),
        ({"indicator_code": "PIL.9.99"}, "indicator_code", "« PIL.9.99 » n'est pas un indicateur du référentiel."),
        ({"title": "<shipped>"}, "title", "Cet indicateur a déjà une suggestion de ce titre."),
    ],
)
def test_a_bad_suggestion_is_refused_in_french(client_for, world, shipped, changes, field, message):
    if changes.get("title") == "<shipped>":
        changes = {"title": shipped.title.upper()}
    data = form_data(academy=str(world.bordeaux.pk)) | changes
    response = client_for("admin").post(reverse("admin:plans_suggestedaction_add"), data)
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert not SuggestedAction.objects.exclude(academy=None).exists()


def test_an_academie_suggestion_is_edited_and_journaled(client_for, world, shipped):
    own = SuggestedAction.objects.create(academy=world.bordeaux, indicator_code="PIL.2.01", title="Première idée")
    client = client_for("admin")
    url = reverse("admin:plans_suggestedaction_change", args=[own.pk])

    response = client.post(url, form_data(title="Idée revue", is_active=""))

    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.title, own.is_active, own.academy) == ("Idée revue", False, world.bordeaux)
    event = AuditEvent.objects.get(action=AuditAction.SUGGESTIONS_CHANGED, object_id=str(own.pk))
    assert event.before["title"] == "Première idée" and event.after["title"] == "Idée revue"


def test_an_adopted_version_shows_what_was_voted_and_changes_nothing(client_for, world, campaign):
    plan = Plan.objects.create(
        school=world.school_a, referential=campaign.referential, first_year="2030-2031", last_year="2031-2032"
    )
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        plan_revision=3,
        body="board",
        adopted_on="2030-11-20",
        adopted_by_label="chef_a",
        snapshot={"objectives": [{"title": "Équiper les salles"}]},
    )
    client = client_for("admin")
    url = reverse("admin:plans_planversion_change", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Équiper les salles" in page.content.decode()
    assert client.post(url, {"number": "2"}).status_code == 403
    plan_url = reverse("admin:plans_plan_change", args=[plan.pk])
    assert client.post(plan_url, {"title": "Autre"}).status_code == 403
    version.refresh_from_db()
    plan.refresh_from_db()
    assert (version.number, plan.title) == (1, "Plan d'actions numérique")


def test_a_title_with_a_control_character_is_refused(client_for, world, referential):
    data = form_data(academy=str(world.bordeaux.pk), title="Inviter\x07 la DANE")
    response = client_for("admin").post(reverse("admin:plans_suggestedaction_add"), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors["title"]
    assert not SuggestedAction.objects.exists()


def test_the_list_filters_by_origin_and_domain(client_for, world, shipped):
    own = SuggestedAction.objects.create(academy=world.bordeaux, indicator_code="INF.1.01", title="Mesurer le débit")
    client = client_for("admin")
    url = reverse("admin:plans_suggestedaction_changelist")
    by_academy = client.get(url, {"origine": str(world.bordeaux.pk)}).context["cl"].result_list
    assert list(by_academy) == [own]
    shipped_pil = client.get(url, {"origine": "pilotis", "domaine": "PIL"}).context["cl"].queryset
    assert (
        shipped_pil.count() == SuggestedAction.objects.filter(academy=None, indicator_code__startswith="PIL.").count()
    )
    assert own not in shipped_pil and shipped in shipped_pil


def test_the_list_costs_the_same_whatever_the_number_of_suggestions(client_for, world, shipped):
    client = client_for("admin")
    url = reverse("admin:plans_suggestedaction_changelist")

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"all": ""}).status_code == 200
        return len(queries)

    before = cost()
    SuggestedAction.objects.bulk_create(
        SuggestedAction(academy=academy, indicator_code="PIL.1.01", title=f"Idée {n}")
        for n in range(10)
        for academy in (world.bordeaux, world.rennes)
    )
    assert cost() == before
