"""The Django admin works for the administrator: every registered model's list, add and
change pages answer, as the superuser, on a database where every one of them has a row."""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from dsfr.models import DsfrConfig

from pilotis.assessments.models import Answer
from pilotis.assessments.services import save_answer
from pilotis.core.audit import record
from pilotis.core.enums import AuditAction
from pilotis.core.school_years import current_school_year
from pilotis.evidence import services as evidence_services
from pilotis.fiches import services as fiche_services
from pilotis.missions import services as mission_services
from pilotis.plans import services as plan_services
from pilotis.plans.models import Objective, ObjectiveTarget, Plan, PlanVersion
from pilotis.plans.suggestions import load_suggestions
from pilotis.referential.models import Indicator
from pilotis.steering.tasks import send_reminders
from tests.factories import load_referential, open_campaign

# Read-only on purpose: the add page is refused (403); lists and rows are still shown.
READ_ONLY = {
    "axes.AccessAttempt",  # written by the sign-in lockout only
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "django_tasks_database.DBTaskResult",  # written by the task queue only
    "core.AuditEvent",  # the journal is append-only
    "referential.ReferentialVersion",  # loaded from versioned files (`load_referential`)
    "referential.Indicator",
    # changed by their services only (state machine, revisions, the IMP's journal)
    "missions.Designation",
    "missions.MissionLetter",
    "missions.CatalogueEntry",
    "assessments.Assessment",  # answers, validation and reopening go through the services
    # the plan's revision, adoptions and the actions' journal are kept by plans.services
    "plans.Plan",
    "plans.PlanVersion",
    "plans.Objective",
    "plans.Action",
    "plans.ActionEvent",
    "fiches.Fiche",  # written by its school through fiches.services (revision, publication, consent)
    "evidence.Piece",  # added and removed by evidence.services (the file and its row together)
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_model_has_a_row(world):
    """The personas give the territories and people; the rest is made here, one row each."""
    campaign = open_campaign(world, load_referential(), current_school_year())
    indicator = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    answer = Answer.objects.select_related("assessment__campaign").get(indicator=indicator)
    evidence_services.add_link("answer", answer, url="https://ent.example.org/", title="ENT", by=world.rupn_a)
    record(AuditAction.IMPORT, actor=None, label="import_annuaire", after={"created": 0})
    send_reminders.enqueue(0)
    Group.objects.create(name="Relecteurs")
    DsfrConfig.objects.create()
    attempt = {"user_agent": "Firefox", "ip_address": "192.0.2.1", "username": "chef_a", "http_accept": "*/*"}
    AccessAttempt.objects.create(**attempt, path_info="/compte/connexion/", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt, path_info="/compte/connexion/")
    AccessLog.objects.create(**attempt, path_info="/compte/connexion/")
    first, last = mission_services.school_year_bounds(current_school_year())
    designation = mission_services.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=current_school_year(),
        starts_on=first,
        ends_on=last,
        imp_amount=Decimal("1250.00"),
        by=world.chef_a,
    )
    mission_services.start_letter(designation, by=world.chef_a)
    year = current_school_year()
    plan = Plan.objects.create(
        school=world.school_a, referential=campaign.referential, campaign=campaign, first_year=year, last_year=year
    )
    objective = Objective.objects.create(plan=plan, title="Écrire le volet numérique")
    ObjectiveTarget.objects.create(objective=objective, indicator=indicator, by_year=year)
    plan_services.create_action(plan, by=world.rupn_a, title="Rédiger le volet", indicators=[indicator])
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        plan_revision=1,
        body="board",
        adopted_on=first,
        adopted_by_label="chef_a",
        snapshot={"objectives": [{"title": objective.title}]},
    )
    load_suggestions()
    fiche_services.create_fiche(
        world.school_a, by=world.member_a, data=fiche_services.FicheInput(title="Le TNI en géométrie", levels=["5E"])
    )


def registered():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_admin_page_answers(client_for, every_model_has_a_row):
    client = client_for("admin")
    assert client.get(reverse("admin:index")).status_code == 200
    assert {model._meta.label for model in registered()} >= READ_ONLY

    wrong = []
    for model in registered():
        label, info = model._meta.label, (model._meta.app_label, model._meta.model_name)
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"{label}: give it a row in `every_model_has_a_row`"
        expected = {
            reverse("admin:{}_{}_changelist".format(*info)): 200,
            reverse("admin:{}_{}_add".format(*info)): 403 if label in READ_ONLY else 200,
            reverse("admin:{}_{}_change".format(*info), args=[row.pk]): 200,
        }
        for url, status in expected.items():
            found = client.get(url).status_code
            if found != status:
                wrong.append(f"{url}: {found} instead of {status}")
    assert not wrong, "\n".join(wrong)


def test_a_department_does_not_change_academie_in_the_admin(client_for, world):
    """Its schools' campaigns and figures are its académie's: the admin shows the académie only."""
    client = client_for("admin")
    url = reverse("admin:territories_department_change", args=[world.landes.pk])
    form = client.get(url).context["adminform"].form
    assert "academy" not in form.fields
    response = client.post(url, {"code": world.landes.code, "name": "Landes", "academy": world.rennes.pk})
    assert response.status_code == 302
    world.landes.refresh_from_db()
    assert (world.landes.name, world.landes.academy) == ("Landes", world.bordeaux)


def test_the_admin_speaks_french(client_for, world):
    """Each section of the admin's index is named in French, third-party apps' included."""
    html = client_for("admin").get(reverse("admin:index")).content.decode()
    for english in ["Core", "Territories", "Tasks Database Backend", "Task Results"]:
        assert f">{english}<" not in html
    for french in ["Journal d’audit", "Territoires et établissements", "Tâches en arrière-plan", "Mission du RUPN"]:
        assert french.replace("’", "'") in html.replace("&#x27;", "'") or french in html


def test_the_school_search_ignores_case_and_accents(client_for, world):
    url = reverse("admin:territories_school_changelist")
    response = client_for("admin").get(url, {"q": "COLLEGE ALPHA landes"})
    assert list(response.context["cl"].result_list) == [world.school_a]
