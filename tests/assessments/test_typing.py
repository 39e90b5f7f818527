"""Nothing a person types is lost: the domain page's post without JavaScript saves every answer
changed on it; answers carried over from last year stay « repris, à vérifier » until confirmed or
changed; the history says what changed in words."""

import csv
import io

from django.contrib.messages import get_messages
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.models import Answer, AnswerChange, AnswerChangeKind, Assessment
from pilotis.referential.models import Indicator

YEAR = "2026-2027"


def url(name, world, *extra):
    return reverse(f"assessments:{name}", args=[world.school_a.uai, YEAR, *extra])


def page_post(client, world, domain="PIL"):
    """The domain page's form as the browser posts it without JavaScript: every field it holds."""
    page = client.get(url("domain", world, domain))
    data = {}
    for _level, rows in page.context["levels"]:
        for row in rows:
            code, answer = row["indicator"].code, row["answer"]
            data[f"{code}-status"] = answer.status if answer else ""
            data[f"{code}-comment"] = answer.comment if answer else ""
            data[f"{code}-seen_revision"] = str(answer.revision if answer else 0)
    return data


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_without_javascript_one_button_saves_every_answer_changed_on_the_page(client_for, world, campaign):
    client = client_for("rupn_a")
    data = page_post(client, world)
    data |= {"PIL.1.01-status": "realise", "PIL.1.02-comment": "Voté en CA", "from": "PIL.1.02"}
    response = client.post(url("domain_save", world, "PIL"), data)
    assert response.status_code == 302 and response["Location"].endswith("/domaines/PIL/#i-PIL.1.02")
    assert texts(response) == ["2 réponses enregistrées."]
    answers = {a.indicator.code: (a.status, a.comment) for a in Answer.objects.select_related("indicator")}
    assert answers == {"PIL.1.01": ("realise", ""), "PIL.1.02": ("", "Voté en CA")}
    history = AnswerChange.objects.values_list("answer__indicator__code", "changed_by", "based_on_revision")
    assert sorted(history) == [("PIL.1.01", world.rupn_a.pk, 0), ("PIL.1.02", world.rupn_a.pk, 0)]
    assert Assessment.objects.get().answered_count == 1

    # The same page posted again: nothing changed, nothing written.
    response = client.post(url("domain_save", world, "PIL"), page_post(client, world))
    assert texts(response) == ["Aucune modification à enregistrer."]
    assert AnswerChange.objects.count() == 2


def test_a_stale_page_leaves_alone_what_the_person_did_not_touch(client_for, world, campaign, indicator):
    client = client_for("rupn_a")
    stale = page_post(client, world)  # everything « Pas encore de réponse »
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="Fait", by=world.chef_a)
    other = Indicator.objects.get(version=campaign.referential, code="PIL.1.02")
    services.save_answer(campaign, world.school_a, other, status="en_cours", comment="", by=world.chef_a)
    # The RUPN's page still shows PIL.1.01 unanswered and changes PIL.1.02 only.
    response = client.post(url("domain_save", world, "PIL"), stale | {"PIL.1.02-status": "non_realise"})
    assert Answer.objects.get(indicator=indicator).status == "realise"  # the colleague's answer stays
    assert Answer.objects.get(indicator=other).status == "non_realise"  # the later save wins, as the autosave
    messages = texts(response)
    assert messages[0] == "1 réponse enregistrée."
    assert "Quelqu'un d'autre avait modifié PIL.1.02 entre-temps" in messages[1]


def test_a_reader_cannot_post_the_page(client_for, world, campaign):
    response = client_for("member_a").post(url("domain_save", world, "PIL"), {"PIL.1.01-status": "realise"})
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_a_validated_assessment_keeps_its_answers_and_the_page_says_why(client_for, world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="en_cours", comment="", by=world.rupn_a)
    client = client_for("rupn_a")
    data = page_post(client, world) | {"PIL.1.01-status": "realise"}
    services.validate_assessment(Assessment.objects.get(), by=world.chef_a)
    response = client.post(url("domain_save", world, "PIL"), data)
    assert response.status_code == 302
    assert any("validé entre-temps" in m for m in texts(response))
    assert Answer.objects.get().status == "en_cours"


def _carried_over(world, campaign, previous_year):
    services.start_from_previous(campaign, world.school_a, by=world.rupn_a)
    return Answer.objects.filter(assessment__campaign=campaign).select_related("indicator")


def test_answers_carried_over_are_to_check_until_changed_or_confirmed(client_for, world, campaign, previous_year):
    answers = _carried_over(world, campaign, previous_year)
    pil = sorted(a.indicator.code for a in answers if a.indicator.code.startswith("PIL"))
    assert len(pil) >= 3
    assert all(a.to_check and a.carried_over_from == "2025-2026" and a.carried_over_by == world.rupn_a for a in answers)
    assert set(AnswerChange.objects.filter(answer__in=answers).values_list("kind", flat=True)) == {
        AnswerChangeKind.CARRIED_OVER
    }
    client = client_for("chef_a")
    page = client.get(url("domain", world, "PIL")).content.decode()
    assert page.count("Repris de 2025-2026, à vérifier") == len(pil)
    assert f"{len(pil)} réponses de ce domaine ont été reprises" in page

    # Changing one (the autosave) clears its mark in the same UPDATE.
    client.post(url("answer_save", world, pil[0]), {"status": "en_cours", "seen_revision": "1"}, HTTP_HX_REQUEST="true")
    # Confirming another, from its own button, keeps its answer and says so in the history.
    response = client.post(url("domain_save", world, "PIL"), page_post(client, world) | {"confirm": pil[1]})
    assert "1 réponse reprise confirmée." in texts(response)
    marks = dict(Answer.objects.filter(assessment__campaign=campaign).values_list("indicator__code", "to_check"))
    assert (marks[pil[0]], marks[pil[1]], marks[pil[2]]) == (False, False, True)
    confirmed = Answer.objects.get(assessment__campaign=campaign, indicator__code=pil[1])
    assert (confirmed.status, confirmed.revision) == ("realise", 2)
    assert confirmed.changes.first().kind == AnswerChangeKind.CONFIRMED

    history = client.get(url("history", world, pil[1])).content.decode()
    assert "Réponse reprise confirmée : Réalisé" in history
    assert "Reprise de 2025-2026 : — → Réalisé" in history

    # The domain's button confirms the rest; the other domain's answers stay to check.
    client.post(url("domain_save", world, "PIL"), page_post(client, world) | {"confirm": "*"})
    marks = dict(Answer.objects.filter(assessment__campaign=campaign).values_list("indicator__code", "to_check"))
    assert not any(checked for code, checked in marks.items() if code.startswith("PIL"))
    assert any(checked for code, checked in marks.items() if code.startswith("FOR"))
    assert "reprises de l’année précédente" not in client.get(url("domain", world, "PIL")).content.decode()


def test_the_exports_say_which_answers_were_carried_over_and_by_whom(client_for, world, campaign, previous_year):
    _carried_over(world, campaign, previous_year)
    response = client_for("chef_a").get(url("export_csv", world))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][-1] == "Reprise de l'année précédente"
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["PIL.1.01"][-1] == f"Reprise de 2025-2026 par {world.rupn_a}, à vérifier"
    assert by_code["PIL.2.01"][-1] == ""


def test_home_says_why_reprendre_is_no_longer_offered(client_for, world, campaign, previous_year, indicator):
    client = client_for("rupn_a")
    assert "Reprendre les réponses de 2025-2026" in client.get(url("home", world)).content.decode()
    services.save_answer(campaign, world.school_a, indicator, status="en_cours", comment="", by=world.rupn_a)
    page = client.get(url("home", world)).content.decode()
    assert "Reprendre les réponses de 2025-2026" not in page
    assert "La reprise des réponses de 2025-2026 n’est plus proposée" in page


def test_history_says_when_only_the_comment_changed(client_for, world, campaign, indicator):
    services.save_answer(campaign, world.school_a, indicator, status="en_cours", comment="", by=world.rupn_a)
    services.save_answer(campaign, world.school_a, indicator, status="en_cours", comment="Voté", by=world.rupn_a)
    page = client_for("member_a").get(url("history", world, "PIL.1.01")).content.decode()
    assert "En cours de réalisation → En cours de réalisation" not in page
    assert "commentaire modifié" in page and "— → En cours de réalisation" in page
