"""The territory's follow-up: the schools whose next step is due, those without contact this year
among those that have not started or stand lowest, scoped to the user's départements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.accounts.enums import SchoolRole
from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Assessment
from pilotis.referential.models import Indicator
from tests.accompaniment.helpers import days, entry
from tests.factories import MembershipFactory, SchoolFactory

LIST = reverse("accompaniments:list")


def names(response):
    return response.content.decode()


def start(campaign, school, by, *, validated=False):
    """A self-assessment started: one indicator answered « Non réalisé » (every domain at level 0)."""
    indicator = Indicator.objects.filter(version=campaign.referential).order_by("pk").first()
    assessment_services.save_answer(campaign, school, indicator, status="non_realise", comment="", by=by)
    assessment = Assessment.objects.get(campaign=campaign, school=school)
    if validated:
        chef = MembershipFactory(school=school, role=SchoolRole.CHEF).user
        assessment_services.validate_assessment(assessment, by=chef)
    return assessment


def set_levels(assessment, levels):
    # The levels a school would reach after dozens of answers, written directly: the rule read here
    # is the list's, not the level rule (tested in assessments).
    Assessment.objects.filter(pk=assessment.pk).update(domain_levels=levels)


def test_due_lists_the_latest_entry_of_each_school_within_seven_days(client_for, world):
    late = SchoolFactory(name="Collège Retardé", department=world.landes)
    closed_matter = SchoolFactory(name="Collège Réglé", department=world.landes)
    far = SchoolFactory(name="Collège Lointain", department=world.landes)
    entry(world.school_a, world.correspondant_40, next_steps="Visite du CDI", next_step_on=days(7))
    entry(late, world.correspondant_40, happened_on=days(-20), next_steps="Relancer", next_step_on=days(-4))
    entry(closed_matter, world.correspondant_40, happened_on=days(-20), next_steps="Appeler", next_step_on=days(-2))
    entry(closed_matter, world.correspondant_40, happened_on=days(-1))  # a later contact, no next step
    entry(far, world.correspondant_40, next_steps="Bilan", next_step_on=days(8))
    page = names(client_for("correspondant_40").get(LIST))
    assert "Collège Alpha des Landes" in page and "Dans 7 jours" in page
    assert "Collège Retardé" in page and "En retard de 4 jours" in page
    assert "Collège Réglé" not in page and "Collège Lointain" not in page
    assert page.index("Collège Retardé") < page.index("Collège Alpha des Landes")  # the oldest first


def test_each_user_sees_their_departements_and_may_filter(client_for, world):
    entry(world.school_a, world.correspondant_40, next_steps="Visite", next_step_on=days(1))
    entry(world.school_b, world.correspondant_64, next_steps="Visio", next_step_on=days(1))
    assert "Lycée Bravo de Pau" not in names(client_for("correspondant_40").get(LIST))
    assert "Collège Alpha" not in names(client_for("correspondant_64").get(LIST))
    dane = client_for("dane")
    both = names(dane.get(LIST))
    assert "Collège Alpha" in both and "Lycée Bravo de Pau" in both
    landes = names(dane.get(LIST, {"department": world.landes.pk}))
    assert "Collège Alpha" in landes and "Lycée Bravo de Pau" not in landes
    # A département the user does not follow is ignored, and the page says so.
    ignored = names(client_for("correspondant_40").get(LIST, {"department": world.pyrenees.pk}))
    assert "ont été ignorés" in ignored and "Lycée Bravo de Pau" not in ignored
    quiet = names(client_for("correspondant_40").get(LIST, {"department": world.pyrenees.pk, "list": "quiet"}))
    assert "ont été ignorés" in quiet and "Établissements sans contact cette année" in quiet
    assert not names(client_for("dane_rennes").get(LIST)).count("Collège Alpha")


def test_quiet_lists_schools_not_started_or_lowest_without_contact(client_for, world, campaign):
    low = SchoolFactory(name="Collège Bas", department=world.landes)
    fine = SchoolFactory(name="Collège Avancé", department=world.landes)
    two_domains = SchoolFactory(name="Collège Moyen", department=world.landes)
    filling = SchoolFactory(name="Collège En Saisie", department=world.landes)
    set_levels(start(campaign, low, world.dane, validated=True), {"PIL": 1, "PED": 1})  # FOR, RES, INF at 0
    set_levels(start(campaign, fine, world.dane, validated=True), {"PIL": 1, "PED": 1, "FOR": 1, "RES": 1})
    set_levels(
        start(campaign, two_domains, world.dane, validated=True), {"PIL": 1, "PED": 1, "FOR": 1, "RES": 0, "INF": 0}
    )
    start(campaign, filling, world.dane)  # every domain at 0 while it fills in: not judged on its levels
    page = names(client_for("correspondant_40").get(LIST, {"list": "quiet"}))
    assert "Collège Alpha des Landes" in page and "Autodiagnostic non commencé" in page
    assert "Collège Bas" in page and "Autodiagnostic validé au niveau 0 dans 3 domaines" in page
    assert "Collège Avancé" not in page and "Collège Moyen" not in page and "Collège En Saisie" not in page
    assert "au moins 3 domaines" in page  # the page says its rule
    entry(world.school_a, world.correspondant_40, happened_on=days(-1))
    assert "Collège Alpha des Landes" not in names(client_for("correspondant_40").get(LIST, {"list": "quiet"}))


def test_quiet_needs_a_current_campaign(client_for, world):
    page = names(client_for("correspondant_40").get(LIST, {"list": "quiet"}))
    assert "Collège Alpha des Landes" not in page and "Aucun établissement" in page


def test_exports_follow_the_page(client_for, world, campaign):
    entry(world.school_a, world.correspondant_40, next_steps="=Visite du CDI", next_step_on=days(1))
    client = client_for("dane")
    due = client.get(reverse("accompaniments:export", args=["due", "csv"])).content.decode("utf-8-sig")
    assert "Collège Alpha des Landes" in due and "'=Visite du CDI" in due  # neutralised for spreadsheets
    quiet = client.get(reverse("accompaniments:export", args=["quiet", "csv"]), {"department": world.pyrenees.pk})
    text = quiet.content.decode("utf-8-sig")
    assert "Lycée Bravo de Pau" in text and "Collège Alpha" not in text
    ods = client.get(reverse("accompaniments:export", args=["quiet", "ods"]))
    assert ods["Content-Type"].startswith("application/vnd.oasis.opendocument.spreadsheet")
    assert client.get(reverse("accompaniments:export", args=["other", "csv"])).status_code == 404


@pytest.mark.parametrize("which", ["due", "quiet"])
def test_the_follow_up_costs_the_same_with_more_schools(client_for, world, campaign, which):
    client = client_for("dane")
    client.get(LIST)  # warm the session
    counts = []
    for batch in (1, 30):
        for n in range(batch):
            school = SchoolFactory(department=world.landes if n % 2 else world.pyrenees)
            entry(school, world.dane, happened_on=days(-400), next_steps="Relancer", next_step_on=days(2))
            if n % 3 == 0:
                start(campaign, school, world.dane, validated=n % 2 == 0)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"list": which})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
