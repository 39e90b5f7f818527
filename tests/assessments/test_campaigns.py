"""The campaign's lifecycle: a campaign opened in advance waits for its date (« Programmée »);
the schools' current campaign is their académie's campaign of the current school year; closing
says what it will do; the DANE reopens, deletes (unanswered only) and moves the dates; every
school reaches its past years."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pilotis.accounts.context_processors import menu_links
from pilotis.assessments import services
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.models import AuditEvent
from pilotis.core.school_years import current_school_year

YEAR = current_school_year()
START = int(YEAR[:4])
NEXT = f"{START + 1}-{START + 2}"
LAST = f"{START - 1}-{START}"


def campaign_of(world, referential, year, **dates):
    return services.open_campaign(
        academy=world.bordeaux,
        school_year=year,
        referential=referential,
        opens_on=dates.get("opens_on", datetime.date(int(year[:4]), 9, 1)),
        closes_on=dates.get("closes_on", datetime.date(int(year[:4]) + 1, 6, 30)),
        by=world.dane,
    )


@pytest.fixture
def this_year(world, referential):
    return campaign_of(world, referential, YEAR)  # opened on 1 September


@pytest.fixture
def next_year(world, referential):
    return campaign_of(world, referential, NEXT, opens_on=datetime.date(START + 1, 9, 15))


@pytest.fixture
def last_year(world, referential, indicator):
    campaign = campaign_of(world, referential, LAST)
    services.save_answer(campaign, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    services.validate_assessment(Assessment.objects.get(campaign=campaign), by=world.chef_a)
    return services.close_campaign(campaign, by=world.dane)


# --- Rule 1: one current campaign, chosen by the school year; scheduled ones wait -------------


def test_a_campaign_opened_in_advance_is_scheduled_and_this_year_stays_current(world, this_year, next_year):
    assert (next_year.get_phase_display(), next_year.is_open) == ("Programmée", False)
    assert this_year.is_open
    assert Campaign.objects.current_for(world.bordeaux.pk) == this_year
    assert list(Campaign.objects.started()) == [this_year]


def test_the_campaigns_page_says_programmee(client_for, referential, this_year):
    client = client_for("dane")
    data = {"school_year": NEXT, "referential": referential.pk, "opens_on": f"{START + 1}-09-15"}
    response = client.post(reverse("campaigns:list"), {**data, "closes_on": f"{START + 2}-06-30"}, follow=True)
    page = response.content.decode()
    assert f"La campagne {NEXT} est programmée : elle ouvrira aux établissements le 15 septembre {START + 1}" in page
    assert "Programmée" in page and f"ouvre le 15 septembre {START + 1}" in page
    assert Campaign.objects.get(school_year=NEXT).is_scheduled


def test_a_scheduled_campaign_refuses_answers_with_a_reason(world, next_year, indicator):
    with pytest.raises(services.AssessmentClosed, match=f"n'ouvre que le 15 septembre {START + 1}"):
        services.save_answer(next_year, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    assert not Assessment.objects.exists()


def test_the_autosave_refuses_a_scheduled_campaign(client_for, world, next_year):
    url = reverse("assessments:answer_save", args=[world.school_a.uai, NEXT, "PIL.1.01"])
    response = client_for("rupn_a").post(url, {"status": "realise", "comment": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "ouvre que le" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_menu_and_the_school_page_keep_the_current_year(client_for, world, this_year, next_year, indicator):
    services.save_answer(this_year, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    client = client_for("rupn_a")
    response = client.get(reverse("territories:school_detail", args=[world.school_a.uai]))
    menu = {item["label"]: item["url"] for item in menu_links(response.context["nav_items"]())}
    assert menu["Autodiagnostic SCHÉMATIC"] == reverse("assessments:current", args=[world.school_a.uai])
    assert client.get(menu["Autodiagnostic SCHÉMATIC"]).url == reverse(
        "assessments:home", args=[world.school_a.uai, YEAR]
    )
    page = response.content.decode()
    assert f"SCHÉMATIC {YEAR}" in page and reverse("assessments:home", args=[world.school_a.uai, YEAR]) in page
    assert reverse("assessments:home", args=[world.school_a.uai, NEXT]) not in page
    # The item stays the current one on every SCHÉMATIC page of the school.
    home = client.get(reverse("assessments:home", args=[world.school_a.uai, YEAR]))
    active = [item["label"] for item in menu_links(home.context["nav_items"]()) if item["active"]]
    assert active == ["Autodiagnostic SCHÉMATIC"]


def test_without_a_current_campaign_the_menu_leads_to_the_list(client_for, world, next_year):
    response = client_for("rupn_a").get(reverse("assessments:current", args=[world.school_a.uai]))
    assert response.url == reverse("assessments:school_assessments", args=[world.school_a.uai])


def test_steering_opens_on_the_current_campaign(client_for, this_year, next_year):
    response = client_for("dane").get(reverse("steering:index"))
    assert response.url == reverse("steering:progress", kwargs={"campaign": this_year.pk})


def test_a_campaign_opens_within_its_school_year(world, referential):
    with pytest.raises(ValidationError, match="doit ouvrir pendant son année scolaire"):
        campaign_of(world, referential, NEXT, opens_on=datetime.date(START, 12, 1))
    assert not Campaign.objects.exists()


# --- Rule 3: the school's campaigns, past years included --------------------------------------


def test_the_schools_campaigns_list_current_then_past_then_scheduled(
    client_for, world, last_year, this_year, next_year
):
    response = client_for("rupn_a").get(reverse("assessments:school_assessments", args=[world.school_a.uai]))
    assert response.status_code == 200
    assert [row["campaign"].school_year for row in response.context["rows"]] == [YEAR, LAST, NEXT]
    page = response.content.decode()
    uai = world.school_a.uai
    for name in ("home", "synthesis", "edition"):
        assert reverse(f"assessments:{name}", args=[uai, LAST]) in page
        assert reverse(f"assessments:{name}", args=[uai, NEXT]) not in page  # scheduled: nothing to open yet
    assert "Validé" in page and world.chef_a.get_full_name() in page
    assert "1 indicateur renseigné sur" in page
    assert client_for("rupn_a").get(reverse("assessments:synthesis", args=[uai, LAST])).status_code == 200


def test_the_schools_campaigns_are_out_of_reach_of_another_academy(client_for, world, this_year):
    for view in ("school_assessments", "current"):
        url = reverse(f"assessments:{view}", args=[world.school_a.uai])
        assert client_for("dane_rennes").get(url).status_code == 404


# --- Rule 2: closing through a confirmation; reopening, deleting, moving the dates ------------


def test_closing_says_how_many_schools_stand_where(client_for, world, this_year, indicator, referential):
    from tests.assessments.conftest import validated_schools
    from tests.factories import SchoolFactory

    SchoolFactory(department=world.landes)
    SchoolFactory(department=world.landes, is_open=False)  # closed: not one of the académie's schools
    services.save_answer(this_year, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    validated_schools(this_year, world, world.landes, 2)
    client = client_for("dane")
    url = reverse("campaigns:close", args=[this_year.pk])
    campaigns = client.get(reverse("campaigns:list")).content.decode()
    assert f'href="{url}"' in campaigns  # a link to the confirmation, not a form that closes
    page = client.get(url).content.decode()
    assert this_year.is_open  # looking closes nothing
    # School A started; two validated; school B (Pyrénées-Atlantiques) and the new one not started.
    assert "2 établissements n’ont pas commencé" in page
    assert "1 établissement est en cours de saisie" in page
    assert "2 établissements ont validé" in page
    assert client.post(url).status_code == 302
    this_year.refresh_from_db()
    assert this_year.is_closed


def test_reopening_a_closed_campaign(client_for, world, this_year):
    services.close_campaign(this_year, by=world.dane)
    client = client_for("dane")
    url = reverse("campaigns:reopen", args=[this_year.pk])
    assert "Rouvrir la campagne" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    this_year.refresh_from_db()
    assert this_year.is_open and this_year.closed_at is None
    event = AuditEvent.objects.get(action="campaign_reopened")
    assert (event.actor, event.object_id, event.after) == (world.dane, str(this_year.pk), {"state": "open"})
    with pytest.raises(ValidationError):
        services.reopen_campaign(this_year, by=world.dane)


def test_deleting_a_campaign_nobody_answered(client_for, world, next_year):
    client = client_for("dane")
    url = reverse("campaigns:delete", args=[next_year.pk])
    assert "Supprimer la campagne" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Campaign.objects.filter(pk=next_year.pk).exists()
    event = AuditEvent.objects.get(action="campaign_deleted")
    assert (event.actor, event.before["year"]) == (world.dane, NEXT)


def test_a_campaign_schools_answered_is_not_deleted(client_for, world, last_year):
    client = client_for("dane")
    url = reverse("campaigns:delete", args=[last_year.pk])
    response = client.get(url)
    assert response.context["confirm"].refusal  # no button: the page says why
    assert "aucune réponse ne sera perdue" not in response.content.decode()  # nor what it would do
    assert (
        "1 établissement a déjà répondu à cette campagne : elle ne peut pas être supprimée" in response.content.decode()
    )
    response = client.post(url, follow=True)
    assert "ne peut pas être supprimée" in response.content.decode()
    assert Campaign.objects.filter(pk=last_year.pk).exists()
    assert not AuditEvent.objects.filter(action="campaign_deleted").exists()


def test_moving_the_dates(client_for, world, next_year):
    client = client_for("dane")
    url = reverse("campaigns:edit", args=[next_year.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"opens_on": f"{START + 1}-09-02", "closes_on": f"{START + 2}-07-01"})
    assert response.status_code == 302
    next_year.refresh_from_db()
    assert (next_year.opens_on, next_year.closes_on) == (datetime.date(START + 1, 9, 2), datetime.date(START + 2, 7, 1))
    event = AuditEvent.objects.get(action="campaign_dates_changed")
    assert event.before == {"opens_on": f"{START + 1}-09-15", "closes_on": f"{START + 2}-06-30"}
    assert event.after == {"opens_on": f"{START + 1}-09-02", "closes_on": f"{START + 2}-07-01"}


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "error"),
    [
        ("2031-01-01", "2030-06-30", "La clôture doit suivre l'ouverture."),
        (None, None, "doit ouvrir pendant son année scolaire"),  # into this school year: it would take over
    ],
)
def test_dates_that_break_the_rules_are_refused(client_for, world, this_year, next_year, opens_on, closes_on, error):
    opens_on = opens_on or timezone.localdate().isoformat()
    closes_on = closes_on or f"{START + 2}-06-30"
    response = client_for("dane").post(
        reverse("campaigns:edit", args=[next_year.pk]), {"opens_on": opens_on, "closes_on": closes_on}
    )
    assert response.status_code == 400
    assert error in response.content.decode().replace("&#x27;", "'")
    next_year.refresh_from_db()
    assert next_year.is_scheduled
    assert not AuditEvent.objects.filter(action="campaign_dates_changed").exists()


def test_an_answered_campaign_cannot_be_put_back_to_scheduled(world, this_year, indicator):
    services.save_answer(this_year, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    later = min(timezone.localdate() + datetime.timedelta(days=30), datetime.date(START + 1, 8, 31))
    with pytest.raises(ValidationError, match="ne peut pas être reportée"):
        services.change_campaign_dates(this_year, opens_on=later, closes_on=later, by=world.dane)


def test_another_academys_dane_gets_404(client_for, this_year):
    client = client_for("dane_rennes")
    for name in ("campaigns:close", "campaigns:reopen", "campaigns:delete", "campaigns:edit"):
        url = reverse(name, args=[this_year.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code == 404, name
    assert Campaign.objects.get().is_open
