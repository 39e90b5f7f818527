"""The action plan's journey, as the demo collège's people live it: the RUPN builds a plan from the
synthesis of the validated self-assessment, the direction adopts it, the commission numérique meets
and one of its decisions becomes an action in one click, the teacher named responsible marks it
« Réalisée », and the RUPN updates the indicator it serves in the open campaign with one click — the
indicator's history says it came from that action. axe-core clean on every page visited.

Where it starts: the demo's collège validated last year's self-assessment, and its plan (built from
it) runs over last year and this one, so that no synthesis offers « Préparer le plan d'actions »
(a plan already covers this school year). The journey starts from the state the offer is made for:
the same collège one year on, its two-year plan ended with last school year (the test moves the
demo plan's last year, and its targets, back to last year before anyone signs in). From there every
step is a person's click on a page: nothing else is written behind the browser's back.
"""

import datetime
import re

import pytest
from django.utils import timezone

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Answer, AnswerChange, Campaign
from pilotis.commission.enums import MeetingState, Presence
from pilotis.commission.models import Attendance, Meeting
from pilotis.core.school_years import current_school_year
from pilotis.plans.enums import ActionStatus, AdoptingBody
from pilotis.plans.models import Action, ActionEvent, ObjectiveTarget, Plan, PlanVersion
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import label, main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The two priorities the RUPN picks on « Préparer le plan d'actions »: a suggestion of the catalogue
# for each of two indicators the collège had not reached last year.
PRIORITIES = {
    "PIL.3.02": "Conduire une réflexion sur l'usage pédagogique des équipements personnels et en tirer des règles",
    "PED.2.01": "Faire utiliser le numérique par les élèves eux-mêmes en classe, dans la majorité des disciplines",
}
PLAN_TITLE = "Volet numérique 2026 : usages des élèves"
DECISION = "Publier dans CARTOUN deux fiches sur les projets numériques de l'année"
SERVED = "PIL.3.04"  # « Renseignements de plusieurs fiches CARTOUN … », En cours last year
TEACHER = "Sophie Lafitte"
DONE_NOTE = "Deux fiches publiées : la radio du collège et le club de robotique."


def main_text(site) -> str:
    return " ".join(site.page.locator("main").inner_text().split())


def success(site) -> str:
    return " ".join(site.page.locator(".fr-alert--success").inner_text().split())


def end_the_demo_plan_last_year(last_year: str):
    """The demo plan ran over two years; here it ended with last school year, as a one-year plan."""
    plans = Plan.objects.filter(school__uai=COLLEGE_UAI)
    assert list(plans.values_list("last_year", flat=True)) == [current_school_year()]
    ObjectiveTarget.objects.filter(objective__plan__in=plans).update(by_year=last_year)
    plans.update(last_year=last_year)


def test_the_plan_is_built_from_the_synthesis_adopted_followed_by_the_commission_and_fed_back(site, demo):
    year = current_school_year()
    start = int(year[:4])
    last_year = f"{start - 1}-{start}"
    end_the_demo_plan_last_year(last_year)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = site.page
    plan_home = f"/etablissements/{COLLEGE_UAI}/plan/"

    # --- The RUPN builds the plan from last year's synthesis. ------------------------------------
    site.sign_in("rupn")
    assert site.path == f"/etablissements/{COLLEGE_UAI}/"
    # The school's page says there is no plan for this year, and offers to prepare one.
    assert "L’établissement n’a pas de plan d’actions pour cette année scolaire." in main_text(site)
    site.submit(page.get_by_role("link", name="Toutes les campagnes de l’établissement"))
    site.submit(page.locator("main").get_by_role("link", name=f"Synthèse {last_year}"))
    assert site.path == f"/etablissements/{COLLEGE_UAI}/schematic/{last_year}/synthese/"
    site.submit(page.get_by_role("link", name="Préparer le plan d’actions"))
    assert site.path == f"/etablissements/{COLLEGE_UAI}/plan/preparer/"
    assert f"À partir de l’autodiagnostic {last_year}, validé." in main_text(site)
    # The indicators not yet Réalisé, domain by domain, the lower levels first within each domain.
    codes = page.locator("main fieldset legend strong").all_inner_texts()
    assert "PIL.1.01" not in codes and {"PIL.3.02", "PED.2.01"} <= set(codes)
    domains = list(dict.fromkeys(code.split(".")[0] for code in codes))
    assert domains == ["PIL", "PED", "FOR", "RES", "INF"]
    for domain in domains:
        levels = [int(code.split(".")[1]) for code in codes if code.startswith(domain + ".")]
        assert levels == sorted(levels), f"{domain}: {levels}"
    page.get_by_label(label("Intitulé du plan")).fill(PLAN_TITLE)
    page.get_by_label(label("Première année scolaire du plan")).select_option(year)
    page.get_by_label(label("Durée du plan")).select_option(label="2 années scolaires")
    for code, suggestion in PRIORITIES.items():
        priority = page.locator("main fieldset").filter(has=page.locator("legend strong", has_text=code))
        priority.locator("label", has_text=suggestion).click()  # the DSFR's box is its label
    site.submit(page.get_by_role("button", name="Créer le plan avec ces priorités"))
    assert re.fullmatch(rf"/etablissements/{COLLEGE_UAI}/plan/\d+/", site.path)
    plan_path = site.path
    assert "2 actions ajoutées au plan" in success(site)
    assert f"{PLAN_TITLE} — {year}, {start + 1}-{start + 2}" in main_text(site)
    assert "Pas encore adopté." in main_text(site)
    for suggestion in PRIORITIES.values():
        assert page.get_by_role("link", name=suggestion, exact=True).count() == 1
    # Only the direction adopts: the RUPN is not offered to.
    assert page.get_by_role("link", name="Valider le plan").count() == 0
    site.sign_out()

    # --- The direction adopts it, with the instance and its date. ---------------------------------
    site.sign_in("direction")
    site.submit(main_menu(site, "Plan d’actions"))
    assert site.path == plan_home and PLAN_TITLE in main_text(site)  # the plan of this school year
    site.submit(page.get_by_role("link", name="Valider le plan"))
    assert site.path == f"{plan_path}valider/"
    confirmation = main_text(site)
    assert f"Valider le plan « {PLAN_TITLE} » (version 1)" in confirmation
    assert "sera adopté tel qu'il est à cet instant (version 1)" in confirmation
    # What the plan does not say yet is said, each a link to mend it; it does not stop the vote.
    assert "Le plan n'a aucun objectif." in confirmation and "sans responsable, sans échéance" in confirmation
    page.get_by_label(label("Instance qui a adopté le plan")).select_option(label="Conseil pédagogique")
    page.get_by_label(label("Date de l'instance")).fill(yesterday.isoformat())
    site.submit(page.get_by_role("button", name="Valider le plan"))
    assert site.path == plan_path
    assert "Le plan est validé : version 1." in success(site)
    assert "par le conseil pédagogique, version 1." in main_text(site)
    assert page.get_by_role("link", name="Valider le plan").count() == 0  # this version is adopted
    site.sign_out()

    # --- The commission meets: the RUPN plans the meeting, records it and its decision. ----------
    site.sign_in("rupn")
    site.submit(main_menu(site, "Commission numérique"))
    assert site.path == f"/etablissements/{COLLEGE_UAI}/commission/"
    site.submit(page.get_by_role("link", name="Prévoir une réunion"))
    page.get_by_label(label("Date et heure")).fill(f"{yesterday.isoformat()}T17:30")
    page.get_by_label(label("Heure de fin")).fill("19:00")
    page.get_by_label(label("Lieu")).fill("Salle du conseil")
    site.submit(page.get_by_role("button", name="Créer la réunion"))
    assert re.fullmatch(rf"/etablissements/{COLLEGE_UAI}/commission/reunions/\d+/preparer/", site.path)
    meeting_path = site.path.removesuffix("preparer/")
    assert "Son ordre du jour commence par « Suivi du plan »" in success(site)
    assert page.get_by_label(label("Intitulé du point")).first.input_value() == "Suivi du plan"
    site.submit(page.get_by_role("button", name="Enregistrer"))
    assert site.path == meeting_path
    agenda = page.locator("section", has=page.get_by_role("heading", name="Ordre du jour", exact=True))
    assert agenda.get_by_role("heading", level=3).first.inner_text() == "1. Suivi du plan"

    site.submit(page.get_by_role("link", name="Présences, compte rendu et décisions"))
    attendance = page.get_by_role("table", name="Présence des membres")
    members = attendance.get_by_role("combobox")
    assert members.count() >= 5
    for n in range(members.count()):
        members.nth(n).select_option(label="Présent")
    attendance.get_by_label(re.compile("^Claire Dubosc")).select_option(label="Excusé")
    page.get_by_label(label("Compte rendu")).fill(
        "Point sur le plan d'actions adopté hier.\nLes élèves présentent leurs projets de l'année."
    )
    page.get_by_label(label("Décision")).first.fill(DECISION)
    site.submit(page.get_by_role("button", name="Enregistrer"))
    assert site.path == meeting_path
    record = main_text(site)
    assert "Tenue" in page.locator("main .fr-badge").first.text_content()
    assert "Claire Dubosc (Direction) — Excusé" in record and "Julien Larrieu (RUPN) — Présent" in record
    assert "Les élèves présentent leurs projets de l'année." in record

    # A decision becomes an action of this year's plan in one click.
    decisions = page.locator("section", has=page.get_by_role("heading", name="Décisions", exact=True))
    site.submit(decisions.get_by_role("button", name=re.compile("^En faire une action")))
    assert site.path == meeting_path
    assert f"La décision est devenue l'action « {DECISION} » du plan." in success(site)
    assert "Action du plan" in decisions.text_content()
    assert decisions.get_by_role("button", name=re.compile("^En faire une action")).count() == 0
    decision_link = decisions.get_by_role("link", name=DECISION, exact=True).get_attribute("href")

    # The RUPN completes it on the plan: the teacher is responsible, it serves the CARTOUN indicator.
    site.submit(main_menu(site, "Plan d’actions"))
    assert site.path == plan_home
    assert "Modifié depuis l'adoption : version 2 en préparation." in main_text(site)
    site.submit(page.get_by_role("link", name=DECISION, exact=True))
    action_path = site.path
    assert decision_link == action_path  # the meeting's record leads to the action too
    assert "Décidée en commission numérique le" in main_text(site)
    site.submit(page.get_by_role("link", name="Modifier l’action"))
    page.get_by_label(label("Responsable (membre de l'équipe)")).select_option(label=TEACHER)
    page.get_by_label(label("Début")).fill(yesterday.isoformat())
    page.get_by_label(label("Échéance")).fill(datetime.date(start + 1, 6, 30).isoformat())
    page.locator("label", has_text=f"{SERVED} —").click()
    site.submit(page.get_by_role("button", name="Enregistrer l’action"))
    assert site.path == action_path
    assert f"{SERVED} — " in page.locator("main dl").inner_text()
    site.sign_out()

    # --- The teacher named responsible marks her action « Réalisée », with a note. ----------------
    site.sign_in("enseignant")
    site.submit(main_menu(site, "Plan d’actions"))
    site.submit(page.get_by_role("link", name=DECISION, exact=True))
    assert site.path == action_path
    assert page.get_by_role("link", name="Modifier l’action").count() == 0  # her status, not the plan
    page.get_by_label(label("Nouvel état")).select_option(label="Réalisée")
    page.get_by_label(label("Note")).fill(DONE_NOTE)
    site.submit(page.get_by_role("button", name="Enregistrer l’état"))
    assert site.path == action_path
    assert "Réalisée" in page.locator("main .fr-badge").first.text_content()
    journal = page.get_by_role("table", name="Journal de l’action")
    assert f"{TEACHER} À faire → Réalisée {DONE_NOTE}" in " ".join(journal.inner_text().split())
    # The loop proposes; she may not answer for the school, and is told who does.
    loop = page.locator("section", has=page.get_by_role("heading", name="Reporter l’action dans l’autodiagnostic"))
    assert f"autodiagnostic {year}" in loop.inner_text()
    assert "La direction et le RUPN font ces mises à jour" in loop.inner_text()
    assert loop.get_by_role("button").count() == 0
    site.sign_out()

    # --- The RUPN updates the indicator with one click; its history names the action. -------------
    site.sign_in("rupn")
    site.visit(action_path)
    loop = page.locator("section", has=page.get_by_role("heading", name="Reporter l’action dans l’autodiagnostic"))
    row = loop.get_by_role("row").filter(has_text=SERVED)
    assert "Pas encore de réponse" in row.inner_text()
    site.submit(row.get_by_role("button", name=f"Passer à « Réalisé » — {SERVED}"))
    assert site.path == action_path
    row = loop.get_by_role("row").filter(has_text=SERVED)
    assert "Déjà « Réalisé »" in row.text_content()
    site.submit(row.get_by_role("link", name=re.compile("^Historique")))
    assert site.path == f"/etablissements/{COLLEGE_UAI}/schematic/{year}/indicateurs/{SERVED}/historique/"
    history = main_text(site)
    assert f"— → Réalisé depuis l’action « {DECISION} » du plan d’actions" in history

    # --- What the database holds at the end. --------------------------------------------------------
    plan = Plan.objects.get(school__uai=COLLEGE_UAI, first_year=year)
    assert (plan.title, plan.last_year) == (PLAN_TITLE, f"{start + 1}-{start + 2}")
    assert plan.campaign.school_year == last_year
    version = PlanVersion.objects.get(plan=plan)
    assert (version.number, version.body, version.adopted_on, version.adopted_by.username) == (
        1,
        AdoptingBody.PEDAGOGICAL_COUNCIL,
        yesterday,
        "direction",
    )
    assert plan.changed_since_adoption  # the decision's action came after the vote
    actions = {a.title: a for a in Action.objects.filter(plan=plan)}
    assert set(actions) == {*PRIORITIES.values(), DECISION}
    for code, title in PRIORITIES.items():
        assert list(actions[title].indicators.values_list("code", flat=True)) == [code]
    done = actions[DECISION]
    assert (done.status, done.responsible.username, done.done_on) == (
        ActionStatus.DONE,
        "enseignant",
        timezone.localdate(),
    )
    assert list(done.indicators.values_list("code", flat=True)) == [SERVED]
    event = ActionEvent.objects.filter(action=done).latest("pk")
    assert (event.status_after, event.note, event.by.username) == (ActionStatus.DONE, DONE_NOTE, "enseignant")
    meeting = Meeting.objects.get(school__uai=COLLEGE_UAI, starts_at__date=yesterday)
    assert meeting.state == MeetingState.HELD
    assert meeting.items.order_by("position").first().title == "Suivi du plan"
    assert meeting.decisions.get().action == done
    presences = dict(Attendance.objects.filter(meeting=meeting).values_list("member__name", "presence"))
    assert presences["Claire Dubosc"] == Presence.EXCUSED and presences["Julien Larrieu"] == Presence.PRESENT
    campaign = Campaign.objects.get(academy__code="04", school_year=year)
    answer = Answer.objects.get(
        assessment__campaign=campaign, assessment__school__uai=COLLEGE_UAI, indicator__code=SERVED
    )
    assert answer.status == AnswerStatus.DONE
    change = AnswerChange.objects.filter(answer=answer).latest("pk")
    assert (change.status_after, change.changed_by.username) == (AnswerStatus.DONE, "rupn")
    assert DECISION in change.source
    # Only that indicator moved: the loop never answers by itself.
    assert Answer.objects.filter(assessment=answer.assessment).exclude(status="").count() == 1

    site.assert_clean()
