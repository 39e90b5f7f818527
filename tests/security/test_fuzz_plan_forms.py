"""Arbitrary input on the forms of the action plan, the commission numérique and the accompaniment
log, and on Pilotage's « Plans d'actions » filters — any Unicode, NUL, 10,000 characters, ids no
column holds — is never a 5xx and never stores a NUL.

Each form is posted by the persona that may write it, with a NASTY value in every field, then once
more with its other fields valid so that the arbitrary text reaches the service. Every example runs
in a savepoint rolled back after it: an adoption, a validation or a deletion by one example leaves
the next one the same plan, meeting and entry."""

import datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import Form
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given

from pilotis.accompaniment import services as accompaniment_services
from pilotis.accompaniment.models import AccompanimentEntry
from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Assessment
from pilotis.commission import services as commission_services
from pilotis.commission.models import AgendaItem, CommissionMember, Decision, Meeting
from pilotis.core.forms import RevisionField
from pilotis.plans import services as plan_services
from pilotis.plans.enums import ActionStatus, AdoptingBody
from pilotis.plans.models import Action, ActionEvent, Objective, Plan
from pilotis.referential.models import Indicator
from tests.factories import open_campaign
from tests.security.fuzz import NASTY, OUT_OF_RANGE_VALUES, SETTINGS, post_ok, rolled_back

YEAR = "2026-2027"
TEXT_MODELS = [
    Plan,
    Objective,
    Action,
    ActionEvent,
    CommissionMember,
    Meeting,
    AgendaItem,
    Decision,
    AccompanimentEntry,
]


@pytest.fixture
def referential(mini_referential):
    return mini_referential


def no_nul_stored():
    """No text column of the new models holds a NUL (checked in Python: SQLite's LIKE stops at a
    NUL, so a `__contains` lookup would match everything)."""
    for model in TEXT_MODELS:
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields):
            assert not any("\x00" in (value or "") for value in row), (model.__name__, row)


def refused_if_nul(response, *values):
    """A text holding a NUL is refused with the form's message (a 400), not stripped and saved."""
    if any("\x00" in value for value in values):
        assert response.status_code == 400, response.status_code
    return response


def typed(value, *, multiline=False):
    """What a text field stores of a posted value: stripped, a textarea's CR LF made LF."""
    value = value.strip()
    return value.replace("\r\n", "\n") if multiline else value


def indicator(mini_referential, code):
    return Indicator.objects.get(version=mini_referential, code=code)


@pytest.fixture
def validated(world, mini_referential):
    """School A's 2026-2027 self-assessment, validated: PIL.1.01 Réalisé, PIL.1.02 En cours."""
    campaign = open_campaign(world, mini_referential, YEAR)
    for code, status in [("PIL.1.01", "realise"), ("PIL.1.02", "en_cours")]:
        assessment_services.save_answer(
            campaign, world.school_a, indicator(mini_referential, code), status=status, comment="", by=world.rupn_a
        )
    assessment = Assessment.objects.get(campaign=campaign, school=world.school_a)
    assessment_services.validate_assessment(assessment, by=world.chef_a)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def school_plan(world, mini_referential, validated):
    """The plan of school A with an objective and an action (the member responsible for it)."""
    plan = plan_services.create_plan(world.school_a, by=world.rupn_a, first_year=YEAR, duration=2, assessment=validated)
    objective = plan_services.save_objective(
        plan,
        by=world.rupn_a,
        title="Piloter le numérique",
        targets=[(indicator(mini_referential, "PIL.1.02"), "realise", YEAR)],
    )
    action = plan_services.create_action(
        plan,
        by=world.rupn_a,
        title="Réunir la commission numérique",
        indicators=[indicator(mini_referential, "PIL.2.01")],
        responsible=world.member_a,
        objective=objective,
        starts_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2027, 3, 1),
    )
    plan.refresh_from_db()
    action.refresh_from_db()
    return SimpleNamespace(plan=plan, objective=objective, action=action, campaign=validated.campaign)


@pytest.fixture
def commission(world, school_plan):
    """A parent of the commission, a meeting held yesterday (with a decision) and one next week."""
    member = commission_services.add_member(
        world.school_a,
        by=world.chef_a,
        name="Mme Dupuy",
        email="dupuy@example.org",
        group="parents",
        from_date=datetime.date(2025, 9, 1),
    )
    held = commission_services.create_meeting(
        world.school_a, by=world.chef_a, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    held = commission_services.record_minutes(
        held,
        by=world.chef_a,
        seen_revision=None,
        attendance={member.pk: "present"},
        minutes="Compte rendu",
        decisions=[commission_services.DecisionInput("Former l'équipe à l'ENT")],
    )
    planned = commission_services.create_meeting(
        world.school_a, by=world.chef_a, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    return SimpleNamespace(member=member, held=held, planned=planned, decision=held.decisions.get())


@pytest.fixture
def entry(world, school_plan):
    return accompaniment_services.record_entry(
        world.school_a,
        by=world.correspondant_40,
        happened_on=timezone.localdate(),
        kind="visit",
        notes="Visite",
        actions=[school_plan.action],
    )


def plan_url(name, world, *args):
    return reverse(f"plans:{name}", args=[world.school_a.uai, *args])


def commission_url(name, world, *args):
    return reverse(f"commission:{name}", args=[world.school_a.uai, *args])


# --- The action plan -------------------------------------------------------------------------------


@SETTINGS
@given(title=NASTY, year=NASTY, duration=NASTY, priority=NASTY)
def test_prepare_form(client_for, world, validated, title, year, duration, priority):
    """A new plan's preparation (its title and years), then the same page once the plan exists."""
    url = plan_url("prepare", world)
    pil_1_02 = Indicator.objects.get(version=validated.campaign.referential, code="PIL.1.02")
    valid = {"title": "Plan", "first_year": YEAR, "duration": "2", "priorities": f"{pil_1_02.pk}-0"}
    with rolled_back():
        client = client_for("rupn_a")
        post_ok(client, url, {"title": title, "first_year": year, "duration": duration, "priorities": priority})
        refused_if_nul(post_ok(client, url, {**valid, "title": title}), title)
        post_ok(client, url, {**valid, "priorities": [f"{pil_1_02.pk}-0", priority]})
        no_nul_stored()


@SETTINGS
@given(title=NASTY, year=NASTY, duration=NASTY)
def test_plan_edit_form(client_for, world, school_plan, title, year, duration):
    url = plan_url("edit", world, school_plan.plan.pk)
    with rolled_back():
        client = client_for("rupn_a")
        post_ok(client, url, {"title": title, "first_year": year, "duration": duration})
        refused_if_nul(post_ok(client, url, {"title": title, "first_year": YEAR, "duration": "2"}), title)
        no_nul_stored()


@SETTINGS
@given(title=NASTY, description=NASTY, target=NASTY, status=NASTY, year=NASTY)
def test_objective_forms(client_for, world, school_plan, title, description, target, status, year):
    pil_2_01 = Indicator.objects.get(version=school_plan.plan.referential, code="PIL.2.01")
    nasty = {
        "title": title,
        "description": description,
        "target_0_indicator": target,
        "target_0_status": status,
        "target_0_year": year,
        "target_1_indicator": str(pil_2_01.pk),
        "target_1_year": year,
    }
    valid_targets = {"target_0_indicator": str(pil_2_01.pk), "target_0_status": "realise", "target_0_year": YEAR}
    with rolled_back():
        client = client_for("rupn_a")
        for url in (
            plan_url("objective_add", world, school_plan.plan.pk),
            plan_url("objective_edit", world, school_plan.objective.pk),
        ):
            post_ok(client, url, nasty)
            response = post_ok(client, url, {"title": title, "description": description, **valid_targets})
            refused_if_nul(response, title, description)
        no_nul_stored()


ACTION_TEXTS = ("title", "description", "responsible_label", "contributors_text", "means", "success_criteria")
ACTION_CHOICES = ("objective", "responsible", "contributors", "indicators", "payer", "starts_on", "due_on", "cost")


@SETTINGS
@given(text=NASTY, other=NASTY, choice=NASTY, revision=NASTY)
@example(text="Former\x00", other="", choice="", revision="1")
@example(text="  Former l'équipe  ", other=" Parents délégués ", choice="", revision="1")
def test_action_forms(client_for, world, school_plan, text, other, choice, revision):
    """Adding an action and editing one: every text and every choice arbitrary, then only the texts."""
    action = school_plan.action
    nasty = {
        **dict.fromkeys(ACTION_TEXTS[::2], text),
        **dict.fromkeys(ACTION_TEXTS[1::2], other),
        **dict.fromkeys(ACTION_CHOICES, choice),
        "seen_revision": revision,
    }
    texts = {name: nasty[name] for name in ACTION_TEXTS}
    with rolled_back():
        client = client_for("rupn_a")
        add = plan_url("action_add", world, school_plan.plan.pk)
        post_ok(client, add, nasty)
        response = refused_if_nul(post_ok(client, add, {**texts, "title": text or "Action"}), text, other)
        if response.status_code == 302:  # stored as typed
            added = Action.objects.filter(plan=school_plan.plan).latest("pk")
            assert (added.title, added.means) == (typed(text or "Action"), typed(text, multiline=True))
            assert added.description == typed(other, multiline=True)
        edit = plan_url("action_edit", world, action.pk)
        post_ok(client, edit, nasty)
        post_ok(client, edit, {**texts, "seen_revision": revision})
        post_ok(client, edit, {**texts, "seen_revision": str(action.revision)})
        no_nul_stored()


@SETTINGS
@given(status=NASTY, note=NASTY, revision=NASTY)
def test_action_status_form(client_for, world, school_plan, status, note, revision):
    """The writers' status change, and the responsible member's."""
    action = school_plan.action
    url = plan_url("action_status", world, action.pk)
    with rolled_back():
        for persona in ("rupn_a", "member_a"):
            client = client_for(persona)
            post_ok(client, url, {"status": status, "note": note, "seen_revision": revision})
            post_ok(
                client, url, {"status": ActionStatus.IN_PROGRESS, "note": note, "seen_revision": str(action.revision)}
            )
        no_nul_stored()


@SETTINGS
@given(decision=NASTY, due_on=NASTY, note=NASTY, revision=NASTY)
@example(decision="postpone", due_on="2099-01-01", note="Reportée\x00", revision="1")
def test_carry_over_form(client_for, world, school_plan, decision, due_on, note, revision):
    """« Reporter » and « Abandonner »: the refusal's message repeats the note, NUL or not."""
    action = school_plan.action
    url = plan_url("action_carry_over", world, action.pk)
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    client = client_for("rupn_a")
    for data in (
        {"decision": decision, "due_on": due_on, "note": note, "seen_revision": revision},
        {"decision": "postpone", "due_on": due, "note": note, "seen_revision": action.revision},
        {"decision": "abandon", "note": note, "seen_revision": action.revision},
    ):
        with rolled_back():
            post_ok(client, url, data)
            # The message that carries the note is shown on the next page.
            assert client.get(plan_url("detail", world, action.plan_id)).status_code == 200
            no_nul_stored()


@SETTINGS
@given(body=NASTY, adopted_on=NASTY, revision=NASTY)
def test_adopt_confirmation_form(client_for, world, school_plan, body, adopted_on, revision):
    plan = school_plan.plan
    url = plan_url("adopt", world, plan.pk)
    today = timezone.localdate().isoformat()
    with rolled_back():
        client = client_for("chef_a")
        post_ok(client, url, {"body": body, "adopted_on": adopted_on, "seen_revision": revision})
        post_ok(client, url, {"body": AdoptingBody.BOARD, "adopted_on": adopted_on, "seen_revision": revision})
        post_ok(client, url, {"body": body, "adopted_on": today, "seen_revision": plan.revision})
        no_nul_stored()


@SETTINGS
@given(code=NASTY, revision=NASTY, back=NASTY)
@example(code="PIL.2.01", revision="0", back="action")
def test_loop_apply_form(client_for, world, school_plan, code, revision, back):
    """« Passer à Réalisé » from a done action: the indicator's code in the path, the answer's
    revision and where to come back, all arbitrary."""
    action = school_plan.action
    path = plan_url("indicator_updates", world, action.pk) + quote(code.replace("/", "_") or "x", safe="") + "/realise/"
    with rolled_back():
        response = post_ok(client_for("rupn_a"), path, {"seen_revision": revision, "back": back})
        assert response.status_code in (302, 404), response.status_code
        no_nul_stored()


# --- The commission numérique ---------------------------------------------------------------------


@SETTINGS
@given(membership=NASTY, name=NASTY, email=NASTY, group=NASTY, day=NASTY)
def test_member_forms(client_for, world, commission, membership, name, email, group, day):
    """Adding a member (with an account or without) and changing one."""
    with rolled_back():
        client = client_for("chef_a")
        nasty = {"membership": membership, "name": name, "email": email, "group": group, "from_date": day}
        post_ok(client, commission_url("member_add", world), {**nasty, "to_date": day})
        valid = {"name": name, "email": "", "group": "parents", "from_date": "2026-09-01"}
        refused_if_nul(post_ok(client, commission_url("member_add", world), valid), name)
        edit = commission_url("member_edit", world, commission.member.pk)
        post_ok(client, edit, {**nasty, "to_date": day})
        refused_if_nul(post_ok(client, edit, valid), name)
        no_nul_stored()


@SETTINGS
@given(starts=NASTY, ends=NASTY, place=NASTY, visio=NASTY)
def test_meeting_create_form(client_for, world, commission, starts, ends, place, visio):
    url = commission_url("meeting_create", world)
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    with rolled_back():
        client = client_for("rupn_a")
        post_ok(client, url, {"starts_at": starts, "ends_time": ends, "place": place, "visio_url": visio})
        response = post_ok(client, url, {"starts_at": later, "ends_time": "", "place": place, "visio_url": ""})
        refused_if_nul(response, place)
        no_nul_stored()


@SETTINGS
@given(text=NASTY, choice=NASTY, count=NASTY, revision=NASTY)
@example(text="Ordre du jour\x00", choice="", count="1", revision="1")
@example(text="Point", choice="", count="99999999", revision="1")
def test_meeting_agenda_form(client_for, world, commission, text, choice, count, revision):
    """The meeting's date and agenda: its formset's counts, items' ids and choices arbitrary too."""
    meeting = commission.planned
    url = commission_url("meeting_edit", world, meeting.pk)
    starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    item = meeting.items.first()
    agenda = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "1",
        "items-0-item": str(item.pk),
        "items-0-title": text,
        "items-0-notes": text,
        "items-1-title": "Usages de l'ENT",
        "items-1-notes": text,
    }
    with rolled_back():
        client = client_for("chef_a")
        post_ok(
            client,
            url,
            {
                "seen_revision": revision,
                "starts_at": choice,
                "ends_time": choice,
                "place": text,
                "visio_url": text,
                "items-TOTAL_FORMS": count,
                "items-INITIAL_FORMS": count,
                "items-0-item": choice,
                "items-0-title": text,
                "items-0-indicators": choice,
                "items-0-actions": choice,
                "items-0-DELETE": choice,
            },
        )
        response = post_ok(
            client, url, {"seen_revision": meeting.revision, "starts_at": starts, "place": text, **agenda}
        )
        refused_if_nul(response, text)
        post_ok(client, url, {"seen_revision": revision, "starts_at": starts, "place": "CDI", **agenda})
        no_nul_stored()


@SETTINGS
@given(text=NASTY, choice=NASTY, count=NASTY, revision=NASTY)
@example(text="Décidé\x00", choice="present", count="1", revision="1")
@example(text="Décision", choice="", count="99999999", revision="1")
def test_minutes_form(client_for, world, commission, text, choice, count, revision):
    """Attendance, minutes and decisions, the decisions' formset arbitrary too."""
    meeting = commission.held
    decision = commission.decision
    url = commission_url("meeting_minutes", world, meeting.pk)
    presence = f"presence_{commission.member.pk}"
    with rolled_back():
        client = client_for("rupn_a")
        post_ok(
            client,
            url,
            {
                "seen_revision": revision,
                "minutes": text,
                presence: choice,
                f"presence_{choice}": choice,
                "decisions-TOTAL_FORMS": count,
                "decisions-INITIAL_FORMS": count,
                "decisions-0-decision": choice,
                "decisions-0-text": text,
                "decisions-0-DELETE": choice,
            },
        )
        response = post_ok(
            client,
            url,
            {
                "seen_revision": meeting.revision,
                "minutes": text,
                presence: "present",
                "decisions-TOTAL_FORMS": "2",
                "decisions-INITIAL_FORMS": "1",
                "decisions-0-decision": str(decision.pk),
                "decisions-0-text": text,
                "decisions-1-text": text,
            },
        )
        refused_if_nul(response, text)
        no_nul_stored()


@SETTINGS
@given(revision=NASTY, other=NASTY)
def test_convocation_validation_and_reopening(client_for, world, commission, revision, other):
    """The confirmations: their POST carries nothing but a revision, or nothing at all."""
    with rolled_back():
        chef = client_for("chef_a")
        convene = commission_url("meeting_convene", world, commission.planned.pk)
        assert chef.get(convene, {"seen_revision": revision}).status_code == 200
        post_ok(chef, convene, {"seen_revision": revision, "confirm": other})
        validate = commission_url("meeting_validate", world, commission.held.pk)
        assert chef.get(validate, {"seen_revision": revision}).status_code == 200
        post_ok(chef, validate, {"seen_revision": revision})
        post_ok(chef, validate, {"seen_revision": commission.held.revision})
        post_ok(chef, commission_url("meeting_reopen", world, commission.held.pk), {"seen_revision": other})
        no_nul_stored()


@SETTINGS
@given(other=NASTY)
def test_decision_becomes_an_action(client_for, world, commission, other):
    url = commission_url("decision_action", world, commission.held.pk, commission.decision.pk)
    with rolled_back():
        post_ok(client_for("rupn_a"), url, {"title": other, "decision": other})
        no_nul_stored()


def test_a_forged_form_count_builds_no_more_forms_than_the_page_holds(client_for, world, commission):
    """A posted count of agenda items or decisions beyond the most a meeting holds is refused with
    the formset's message, building no more forms than that (not a thousand more)."""
    client = client_for("chef_a")
    for name, meeting, prefix, most in [
        ("meeting_edit", commission.planned, "items", 40),
        ("meeting_minutes", commission.held, "decisions", 60),
    ]:
        response = client.post(
            commission_url(name, world, meeting.pk),
            {"seen_revision": meeting.revision, f"{prefix}-TOTAL_FORMS": "99999999", f"{prefix}-INITIAL_FORMS": "0"},
        )
        assert response.status_code == 400
        formset = response.context[prefix]
        assert len(formset.forms) == most, (name, len(formset.forms))
        assert f"au plus {most} formulaires" in response.content.decode()
    no_nul_stored()


# --- The accompaniment log ------------------------------------------------------------------------


def entry_data(**values):
    return {"happened_on": timezone.localdate().isoformat(), "kind": "visit", "notes": "Visite"} | values


@SETTINGS
@given(text=NASTY, other=NASTY, choice=NASTY, revision=NASTY)
@example(text="Visite\x00", other="", choice="", revision="1")
@example(text=" M. Dupuy (principal) ", other="Visite\r\nSuite ", choice="", revision="1")
def test_entry_forms(client_for, world, entry, text, other, choice, revision):
    """Adding an entry and changing one: every field arbitrary, then the texts only."""
    nasty = {
        "happened_on": choice,
        "kind": choice,
        "participants": text,
        "notes": other,
        "next_steps": text,
        "next_step_on": choice,
        "actions": [choice],
        "shared_with_school": choice,
        "seen_revision": revision,
    }
    texts = {"participants": text, "notes": other, "next_steps": text}
    with rolled_back():
        client = client_for("correspondant_40")
        add = reverse("accompaniment:add", args=[world.school_a.uai])
        post_ok(client, add, nasty)
        response = refused_if_nul(post_ok(client, add, entry_data(**texts)), text, other)
        if response.status_code == 302:  # stored as typed
            added = AccompanimentEntry.objects.latest("pk")
            assert (added.participants, added.notes) == (typed(text), typed(other, multiline=True))
        edit = reverse("accompaniment:edit", args=[world.school_a.uai, entry.pk])
        post_ok(client, edit, nasty)
        post_ok(client, edit, entry_data(**texts, seen_revision=revision))
        post_ok(client, edit, entry_data(**texts, seen_revision=str(entry.revision)))
        no_nul_stored()


@SETTINGS
@given(revision=NASTY)
@example(revision="0.0")
def test_entry_delete_confirmation(client_for, world, entry, revision):
    url = reverse("accompaniment:delete", args=[world.school_a.uai, entry.pk])
    with rolled_back():
        client = client_for("correspondant_40")
        assert client.get(url, {"seen_revision": revision}).status_code == 200
        post_ok(client, url, {"seen_revision": revision})
        # Deleted only when the revision posted, as the form reads it, is the entry's.
        try:
            seen = RevisionField().clean(revision)
        except ValidationError:
            seen = None
        assert AccompanimentEntry.objects.filter(pk=entry.pk).exists() == (seen != entry.revision)


@SETTINGS
@given(department=NASTY, which=NASTY, page=NASTY)
def test_follow_up_filters(client_for, world, entry, department, which, page):
    client = client_for("correspondant_40")
    params = {"department": department, "list": which, "page": page}
    response = client.get(reverse("accompaniments:list"), params)
    assert response.status_code == 200
    assert world.school_b.name not in response.content.decode()
    for table in ("due", "quiet"):
        export = client.get(reverse("accompaniments:export", args=[table, "csv"]), params)
        assert export.status_code == 200, (table, params)


# --- Pilotage's « Plans d'actions » ---------------------------------------------------------------


@SETTINGS
@given(department=NASTY, page=NASTY, other=NASTY)
def test_steering_plans_filters(client_for, world, school_plan, department, page, other):
    client = client_for("dane")
    campaign = school_plan.campaign
    params = {"department": department, "page": page, "sort": other, "q": other}
    for name in ("plans", "plans_schools"):
        response = client.get(reverse(f"steering:{name}", args=[campaign.pk]), params)
        assert response.status_code == 200, (name, params)
    for table in ("adoption", "indicators", "schools"):
        export = client.get(reverse("steering:plans_export", args=[campaign.pk, table, "csv"]), params)
        assert export.status_code == 200, (table, params)


# --- Ids no column holds, in the paths ------------------------------------------------------------

HUGE_IDS = [value for value in OUT_OF_RANGE_VALUES if value.lstrip("-").isdigit() and not value.startswith("-")]


def test_ids_out_of_range_in_paths_are_not_found(client_for, world, commission, entry):
    """A path's id no column holds is a 404, as any id outside the school, never an overflow."""
    for value in HUGE_IDS:
        get_huge_ids(client_for, world, commission, value)


def get_huge_ids(client_for, world, commission, value):
    uai = world.school_a.uai
    held = commission.held.pk
    paths = [
        ("rupn_a", f"/etablissements/{uai}/plan/{value}/"),
        ("rupn_a", f"/etablissements/{uai}/plan/{value}/modifier/"),
        ("rupn_a", f"/etablissements/{uai}/plan/{value}/versions/{value}/"),
        ("rupn_a", f"/etablissements/{uai}/plan/objectifs/{value}/"),
        ("rupn_a", f"/etablissements/{uai}/plan/actions/{value}/"),
        ("rupn_a", f"/etablissements/{uai}/plan/actions/{value}/indicateurs/"),
        ("rupn_a", f"/etablissements/{uai}/plan/actions/{value}/supprimer/"),
        ("rupn_a", f"/etablissements/{uai}/plan/objectifs/{value}/supprimer/"),
        ("chef_a", f"/etablissements/{uai}/commission/membres/{value}/"),
        ("chef_a", f"/etablissements/{uai}/commission/reunions/{value}/"),
        ("chef_a", f"/etablissements/{uai}/commission/reunions/{value}/supprimer/"),
        ("chef_a", f"/etablissements/{uai}/commission/reunions/{value}/releve-de-decisions.pdf"),
        ("chef_a", f"/etablissements/{uai}/commission/reunions/{held}/decisions/{value}/action/"),
        ("correspondant_40", f"/etablissements/{uai}/accompagnement/{value}/modifier/"),
        ("correspondant_40", f"/etablissements/{uai}/accompagnement/{value}/supprimer/"),
        ("dane", f"/pilotage/{value}/plans/"),
    ]
    for persona, path in paths:
        client = client_for(persona)
        method = client.post if path.endswith("/action/") else client.get
        response = method(path)
        assert response.status_code == 404, (path, response.status_code)


def choice_error_codes(response, field) -> set:
    """The error codes of `field` in the page's bound forms and formsets' forms."""
    codes = set()
    for context in response.context:
        for value in context.flatten().values():
            forms = getattr(value, "forms", None) if hasattr(value, "management_form") else [value]
            for form in forms or ():
                if isinstance(form, Form) and form.is_bound and field in form.errors:
                    codes |= {error.code for error in form.errors.as_data()[field]}
    return codes


def test_ids_out_of_range_are_invalid_choices(client_for, world, commission, entry):
    """Every choice of the new forms among rows (an objective, a person, an indicator, an action, a
    member's account), given an id no column holds: « choix valide », a 400, nothing written.
    (« 7 » with spaces is left out: a model choice reads it as 7, which may be a row of the school.)"""
    for value in OUT_OF_RANGE_VALUES:
        if value.strip() != "7":
            post_ids(client_for, world, commission, value)


def post_ids(client_for, world, commission, value):
    uai = world.school_a.uai
    plan = Plan.objects.get(school=world.school_a)
    action = Action.objects.get(plan=plan, title="Réunir la commission numérique")
    meeting = commission.planned
    starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    agenda = {"seen_revision": meeting.revision, "starts_at": starts, "items-TOTAL_FORMS": "1"}
    agenda |= {"items-INITIAL_FORMS": "0", "items-0-title": "Point"}
    posts = [
        ("rupn_a", reverse("plans:action_add", args=[uai, plan.pk]), "objective", value, {"title": "A"}),
        ("rupn_a", reverse("plans:action_add", args=[uai, plan.pk]), "responsible", value, {"title": "A"}),
        ("rupn_a", reverse("plans:action_add", args=[uai, plan.pk]), "contributors", ["1", value], {"title": "A"}),
        ("rupn_a", reverse("plans:action_add", args=[uai, plan.pk]), "indicators", value, {"title": "A"}),
        ("rupn_a", reverse("plans:objective_add", args=[uai, plan.pk]), "target_0_indicator", value, {"title": "O"}),
        ("chef_a", reverse("commission:member_add", args=[uai]), "membership", value, {"group": "parents"}),
        ("chef_a", reverse("commission:meeting_edit", args=[uai, meeting.pk]), "indicators", value, agenda),
        ("chef_a", reverse("commission:meeting_edit", args=[uai, meeting.pk]), "actions", value, agenda),
        ("correspondant_40", reverse("accompaniment:add", args=[uai]), "actions", [value], entry_data()),
    ]
    before = [model.objects.count() for model in TEXT_MODELS]
    for persona, url, field, data, rest in posts:
        key = f"items-0-{field}" if "items-TOTAL_FORMS" in rest else field
        response = client_for(persona).post(url, {**rest, "from_date": "2026-09-01", key: data})
        assert response.status_code == 400, (url, field, data, response.status_code)
        codes = choice_error_codes(response, field)
        assert codes & {"invalid_choice", "invalid_pk_value", "invalid_list"}, (url, field, data, codes)
    assert [model.objects.count() for model in TEXT_MODELS] == before
    assert action.pk in Action.objects.filter(plan=plan).values_list("pk", flat=True)
