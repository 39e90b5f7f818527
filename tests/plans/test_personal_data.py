# ruff: noqa: F811 — the fixtures of tests/plans/helpers.py are imported, then named as arguments
"""What the plan holds about a person is in their download, and their name leaves it when their
account is anonymised (the adopted versions' copies included)."""

import datetime

import pytest

from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymise, gather
from pilotis.plans import services
from pilotis.plans.models import Action, ActionEvent, PlanVersion
from tests.plans.helpers import action, plan, validated  # noqa: F401

pytestmark = pytest.mark.django_db


def _sections(user):
    return {section["titre"]: section["lignes"] for section in gather(user)["sections"]}


def test_the_download_lists_actions_journal_and_adoptions(world, plan, action):
    services.change_status(action, by=world.member_a, status="in_progress", note="Lancée")
    plan.refresh_from_db()
    services.adopt_plan(
        plan, by=world.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
    )
    member = _sections(world.member_a)
    rows = member["Actions des plans d'actions (responsable ou contributeur)"]
    assert rows == [
        {
            "établissement": world.school_a.name,
            "action": "Réunir la commission numérique",
            "rôle": "responsable",
            "état": "En cours",
            "échéance": "2027-03-01",
        }
    ]
    assert [
        r["note"] for r in member["Plans d'actions : les changements d'état que vous avez notés au journal des actions"]
    ] == ["Lancée"]
    chef = _sections(world.chef_a)
    assert [r["version"] for r in chef["Plans d'actions que vous avez validés"]] == [1]
    assert chef["Actions des plans d'actions (responsable ou contributeur)"] == []


def test_anonymising_replaces_the_names_kept_as_text(world, plan, action):
    services.change_status(action, by=world.member_a, status="in_progress", note="Lancée")
    plan.refresh_from_db()
    services.adopt_plan(
        plan, by=world.chef_a, body="board", adopted_on=datetime.date.today(), seen_revision=plan.revision
    )
    anonymise(world.member_a)
    anonymise(world.chef_a)
    label = str(ANONYMOUS_LABEL)
    assert Action.objects.get().responsible_label == label
    assert ActionEvent.objects.get(by=world.member_a).by_label == label
    version = PlanVersion.objects.get()
    assert version.adopted_by_label == label and version.snapshot["actions"][0]["responsible"] == label
    # Others' entries keep their names.
    assert ActionEvent.objects.get(by=world.rupn_a).by_label == str(world.rupn_a)
