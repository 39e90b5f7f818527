import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from odfdo import Document
from pypdf import PdfReader

from pilotis.commission import services
from pilotis.commission.models import AgendaItem, CommissionMember, Decision, Meeting
from pilotis.commission.notes import commission_notes
from pilotis.commission.panels import commission as commission_panel
from pilotis.commission.personal_data import forget, memberships, validated_minutes
from pilotis.referential.models import Indicator
from tests.commission.conftest import hold, meeting_at


def flat(text):
    return " ".join(text.split())


def url(name, world, *args):
    return reverse(f"commission:{name}", args=[world.school_a.uai, *args])


def test_the_home_page_counts_this_years_meetings(world, client_for, members):
    hold(meeting_at(world, -3), world.chef_a, attendance={members[1].pk: "present", members[2].pk: "present"})
    hold(meeting_at(world, -2), world.chef_a, attendance={members[1].pk: "present"})
    meeting_at(world, 5)
    page = client_for("member_a").get(url("home", world)).content.decode()
    assert "2 réunions cette année, dont 1 avec des parents et des élèves" in page
    assert "Mme Dupuy" in page and "Prévoir une réunion" not in page
    page = client_for("rupn_a").get(url("home", world)).content.decode()
    assert "Prévoir une réunion" in page


def test_adding_a_member_without_an_account(world, client_for):
    response = client_for("rupn_a").post(
        url("member_add", world), {"name": "M. Lafon", "email": "", "group": "collectivity", "from_date": "2026-09-01"}
    )
    assert response.status_code == 302
    assert CommissionMember.objects.get().name == "M. Lafon"
    response = client_for("rupn_a").post(
        url("member_add", world), {"name": "", "group": "parents", "from_date": "2026-09-01", "to_date": "2026-08-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "indiquez le nom" in page and "La date de fin doit suivre" in page
    assert CommissionMember.objects.count() == 1


def _edit_data(meeting, **extra):
    return {
        "seen_revision": meeting.revision,
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_time": "",
        "place": "CDI",
        "visio_url": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "Usages de l'ENT",
        "items-0-notes": "Mes notes précieuses",
        **extra,
    }


def test_the_second_editor_finds_their_text_again(world, client_for):
    meeting = meeting_at(world, 7)
    stale = _edit_data(meeting)
    assert client_for("chef_a").post(url("meeting_edit", world, meeting.pk), _edit_data(meeting)).status_code == 302
    response = client_for("rupn_a").post(url("meeting_edit", world, meeting.pk), stale)
    assert response.status_code == 400
    page = response.content.decode()
    assert "modifiée par quelqu" in page and "Mes notes précieuses" in page
    assert AgendaItem.objects.count() == 1


def test_an_agenda_item_with_another_schools_action_is_refused(world, client_for, mini_campaign):
    from pilotis.plans.models import Plan
    from pilotis.plans.services import create_action

    other = Plan.objects.create(
        school=world.school_b, referential=mini_campaign.referential, first_year="2026-2027", last_year="2026-2027"
    )
    foreign = create_action(other, by=world.rupn_b, title="Action de B")
    meeting = meeting_at(world, 7)
    response = client_for("chef_a").post(
        url("meeting_edit", world, meeting.pk), _edit_data(meeting, **{"items-0-actions": [foreign.pk]})
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert AgendaItem.objects.get().title == "Suivi du plan"


def test_every_edit_path_is_refused_once_validated(world, client_for, members):
    meeting = services.validate_minutes(hold(meeting_at(world, -1), world.chef_a), by=world.chef_a)
    before = (
        Meeting.objects.values_list("revision", "minutes", "state").get(),
        list(Decision.objects.values_list("text")),
    )
    client = client_for("chef_a")
    for name, data in [
        ("meeting_edit", _edit_data(meeting)),
        (
            "meeting_minutes",
            {
                "seen_revision": meeting.revision,
                "minutes": "X",
                "decisions-TOTAL_FORMS": "0",
                "decisions-INITIAL_FORMS": "0",
            },
        ),
        ("meeting_delete", {}),
        ("meeting_convene", {}),
        ("meeting_validate", {"seen_revision": meeting.revision}),
    ]:
        assert client.get(url(name, world, meeting.pk)).status_code in (200, 302)
        response = client.post(url(name, world, meeting.pk), data, follow=True)
        assert response.status_code == 200
    after = (
        Meeting.objects.values_list("revision", "minutes", "state").get(),
        list(Decision.objects.values_list("text")),
    )
    assert after == before
    page = client.get(url("meeting_minutes", world, meeting.pk), follow=True).content.decode()
    assert "ne peut plus être modifié" in page


def test_a_decision_becomes_an_action_in_one_click(world, client_for, plan):
    meeting = hold(meeting_at(world, -1), world.chef_a)
    decision = meeting.decisions.get()
    response = client_for("rupn_a").post(url("decision_action", world, meeting.pk, decision.pk), follow=True)
    decision.refresh_from_db()
    assert decision.action.title == "Former l'équipe à l'ENT"
    assert "est devenue l" in response.content.decode()


def test_without_a_plan_the_page_says_so(world, client_for):
    meeting = hold(meeting_at(world, -1), world.chef_a)
    decision = meeting.decisions.get()
    page = (
        client_for("rupn_a").post(url("decision_action", world, meeting.pk, decision.pk), follow=True).content.decode()
    )
    assert "pas encore de plan" in page and f"/etablissements/{world.school_a.uai}/plan/" in page


def test_the_convocation_page_shows_who_and_what(world, client_for, members):
    meeting = meeting_at(world, 7, place="Salle B")
    page = client_for("chef_a").get(url("meeting_convene", world, meeting.pk)).content.decode()
    assert "2 membres recevront la convocation" in page
    assert "Léo Martin" in page and "Salle B" in page and "Suivi du plan" in page


def _populate(world, members, n):
    for index in range(n):
        meeting = meeting_at(world, -10 - index)
        hold(meeting, world.chef_a, attendance={m.pk: "present" for m in members}, decisions=["A", "B"])


def _count(client, address):
    client.get(address)  # the first request of a session writes it and fills the scope's cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_with_more_meetings(world, client_for, members):
    client = client_for("chef_a")
    _populate(world, members, 3)
    few = _count(client, url("home", world))
    _populate(world, members, 17)
    for index in range(5):
        services.add_member(
            world.school_a,
            by=world.chef_a,
            name=f"Parent {index}",
            group="parents",
            from_date=datetime.date(2025, 9, 1),
        )
    assert _count(client, url("home", world)) == few


def test_the_meeting_page_costs_the_same_with_more_items(world, client_for, members, mini_campaign):
    indicators = list(Indicator.objects.filter(version=mini_campaign.referential))
    client = client_for("chef_a")

    def meeting_with(n):
        meeting = meeting_at(world, -1)
        items = [services.ItemInput(title=f"Point {i}", indicators=indicators[:2]) for i in range(n)]
        services.update_meeting(
            meeting,
            by=world.chef_a,
            seen_revision=None,
            starts_at=meeting.starts_at,
            ends_at=None,
            place="",
            visio_url="",
            items=items,
        )
        hold(
            meeting, world.chef_a, attendance={m.pk: "present" for m in members}, decisions=[f"D{i}" for i in range(n)]
        )
        return meeting

    few, many = meeting_with(3), meeting_with(20)
    assert _count(client, url("meeting", world, few.pk)) == _count(client, url("meeting", world, many.pk))
    assert _count(client, url("meeting_minutes", world, few.pk)) == _count(
        client, url("meeting_minutes", world, many.pk)
    )
    assert _count(client, url("meeting_edit", world, few.pk)) == _count(client, url("meeting_edit", world, many.pk))


@pytest.fixture
def validated(world, members):
    meeting = meeting_at(world, -1, place="Salle du conseil")
    hold(
        meeting,
        world.chef_a,
        attendance={members[0].pk: "present", members[1].pk: "present", members[2].pk: "excused"},
        decisions=["Équiper la salle 12 de vidéoprojecteurs"],
        minutes="La commission a fait le point sur l'ENT.",
    )
    return services.validate_minutes(meeting, by=world.chef_a)


def test_the_record_as_pdf(world, client_for, validated):
    response = client_for("correspondant_40").get(url("meeting_pdf", world, validated.pk))
    assert response["Content-Type"] == "application/pdf"
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert "Relevé de décisions de la commission numérique" in text
    assert "Équiper la salle 12 de vidéoprojecteurs" in text
    assert "Mme Dupuy (Parents)" in text and "Léo Martin (Élèves)" in text
    assert f"Compte rendu validé par {world.chef_a}" in text


def test_the_record_as_odt(world, client_for, validated):
    response = client_for("member_a").get(url("meeting_odt", world, validated.pk))
    assert response["Content-Disposition"].endswith('.odt"')
    document = Document(io.BytesIO(response.content))
    assert document.get_type() == "text"
    text = flat(document.body.text_recursive)
    assert "Équiper la salle 12 de vidéoprojecteurs" in text and "Suivi du plan" in text
    table = document.body.get_table(name="Presences")
    rows = [[cell.text_recursive.strip() for cell in row.get_cells()] for row in table.get_rows()]
    assert ["Léo Martin", "Élèves", "Excusé"] in rows and ["Mme Dupuy", "Parents", "Présent"] in rows
    assert any(h.text_recursive == "Décisions" for h in document.body.get_headers())
    levels = document.styles.get_element("//text:outline-style").children
    assert all(level.get_attribute("style:num-format") == "" for level in levels)


def test_the_notes_beside_the_commission_indicators(world, mini_campaign, members, django_assert_num_queries):
    indicators = list(Indicator.objects.filter(version=mini_campaign.referential))
    with django_assert_num_queries(0):
        assert (
            commission_notes(None, world.school_a, mini_campaign, [i for i in indicators if i.code == "PIL.1.01"]) == {}
        )
    with django_assert_num_queries(1):
        notes = commission_notes(None, world.school_a, mini_campaign, indicators)
    assert list(notes) == ["PIL.2.01"]
    assert notes["PIL.2.01"][0].text == "Aucune réunion de la commission numérique enregistrée cette année."
    meeting = hold(meeting_at(world, -1), world.chef_a, attendance={members[1].pk: "present", members[2].pk: "present"})
    hold(meeting_at(world, -2), world.chef_a)
    meeting_at(world, 3)
    with django_assert_num_queries(1):
        (note,) = commission_notes(None, world.school_a, mini_campaign, indicators)["PIL.2.01"]
    assert note.text == "2 réunions cette année scolaire, dont 1 avec des parents et des élèves"
    assert reverse("commission:meeting", args=[world.school_a.uai, meeting.pk]) in [link for _label, link in note.links]


def test_the_school_panel(world, rf, members):
    meeting_at(world, 5)
    hold(meeting_at(world, -5), world.chef_a)
    request = rf.get("/")
    request.user = world.member_a
    panel = commission_panel(request, world.school_a)
    assert panel.data["next"].starts_at > timezone.now() and panel.data["last"].state == "held"
    assert panel.data["run"] is False


def test_personal_data_and_anonymisation(world, validated):
    services.add_member(
        world.school_a, by=world.chef_a, user=world.rupn_a, group="rupn", from_date=datetime.date(2025, 9, 1)
    )
    (row,) = memberships(world.chef_a)
    assert row["collège"] == "Direction" and row["présences"][0].endswith("Présent")
    assert validated_minutes(world.chef_a)[0]["nom inscrit"] == str(world.chef_a)
    forget(world.chef_a)
    validated.refresh_from_db()
    assert validated.validated_by_label == "Compte anonymisé"
    assert CommissionMember.objects.get(user=world.chef_a).name == "Compte anonymisé"
    assert CommissionMember.objects.get(user=world.rupn_a).name == str(world.rupn_a)
