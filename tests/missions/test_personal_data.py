"""SECURITY.md, « Personal data: download and anonymisation »: a person downloads everything
Pilotis holds about them, and nothing about others."""

import json

import pytest
from django.urls import reverse

from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Assessment
from pilotis.referential.models import Indicator
from pilotis.steering import services as steering_services
from pilotis.steering.figures import Territory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def download(client, user):
    client.force_login(user, backend="pilotis.accounts.backends.UsernameOrEmailBackend")
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="pilotis-mes-donnees-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content.decode("utf-8"))
    return {section["titre"]: section["lignes"] for section in data["sections"]}, response.content.decode()


def test_the_rupn_downloads_their_account_roles_answers_designation_letter_and_reminders(
    client, world, campaign, signed
):
    pil = Indicator.objects.filter(version=campaign.referential).order_by("code").first()
    assessment_services.save_answer(
        campaign, world.school_a, pil, status="realise", comment="Charte votée en CA", by=world.rupn_a
    )
    assessment_services.save_answer(campaign, world.school_b, pil, status="en_cours", comment="B", by=world.rupn_b)
    # A reminder to school A (whose RUPN is rupn_a) and one to a school whose address merely
    # contains rupn_a's.
    lookalike = UserFactory(username="lookalike", email="x" + world.rupn_a.email)
    MembershipFactory(user=lookalike, school=world.school_b, role="rupn")
    batch = steering_services.request_reminders(
        Territory.of(campaign, [world.landes, world.pyrenees]), target="not_validated", department=None, by=world.dane
    )
    steering_services.send_batch(batch.pk)

    sections, text = download(client, world.rupn_a)

    account = sections["Compte"][0]
    assert (account["identifiant"], account["adresse électronique"]) == ("rupn_a", world.rupn_a.email)
    assert sections["Rôles dans les établissements"] == [
        {
            "établissement": world.school_a.name,
            "UAI": world.school_a.uai,
            "rôle": "RUPN (référent numérique)",
            "depuis le": sections["Rôles dans les établissements"][0]["depuis le"],
        }
    ]
    changes = sections["Autodiagnostics SCHÉMATIC : vos réponses et commentaires"]
    assert [(c["indicateur"], c["réponse après"], c["commentaire après"]) for c in changes] == [
        (pil.code, "Réalisé", "Charte votée en CA")
    ]
    designation = sections["Désignations comme RUPN"][0]
    assert (designation["établissement"], designation["IMP annuelle (€)"]) == (world.school_a.name, "1250.00")
    letter = sections["Lettres de mission"][0]
    assert letter["état"] == "Signée" and letter["IMP annuelle (€)"] == "1250.00" and letter["signée le"]
    assert letter["temps dégagé"] == "Une heure par semaine" and len(letter["missions"]) == 3
    received = sections["Relances reçues par courriel"]
    assert [r["établissement"] for r in received] == [world.school_a.name]
    assert any(
        e["action"] == "Lettre de mission acceptée"
        for e in sections[next(k for k in sections if k.startswith("Journal"))]
    )

    # Nothing of anybody else: not rupn_b's answer, not the direction's or the DANE's accounts.
    assert "B" not in {c["commentaire après"] for c in changes}
    for other in (world.rupn_b, world.chef_a, world.dane, lookalike):
        assert other.username not in text and other.email not in text.replace(world.rupn_a.email, "")


def test_the_direction_and_the_dane_find_what_they_did(client, world, campaign, signed):
    pil = Indicator.objects.filter(version=campaign.referential).order_by("code").first()
    assessment_services.save_answer(campaign, world.school_a, pil, status="realise", comment="", by=world.chef_a)
    assessment_services.validate_assessment(Assessment.objects.get(school=world.school_a), by=world.chef_a)
    chef, text = download(client, world.chef_a)
    assert [v["établissement"] for v in chef["Autodiagnostics SCHÉMATIC validés par vous"]] == [world.school_a.name]
    assert [s["RUPN"] for s in chef["Lettres de mission signées par vous (direction)"]] == [
        signed.designation.user_label
    ]
    assert chef["Désignations comme RUPN"] == [] and "1250" not in text  # the IMP is the RUPN's, not in chef's file

    steering_services.request_reminders(
        Territory.of(campaign, [world.pyrenees]), target="not_started", department=world.pyrenees, by=world.dane
    )
    client.logout()
    dane, _text = download(client, world.dane)
    assert [r["cible"] for r in dane["Relances demandées par vous"]] == ["établissements qui n'ont pas commencé"]
    assert dane["Rôles territoriaux"][0]["rôle"] == "DANE académique"
