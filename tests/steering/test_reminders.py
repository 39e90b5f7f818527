"""Reminders: requested on the page, recorded at once, e-mailed by the database worker."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotis.assessments import services as assessment_services
from pilotis.assessments.enums import AnswerStatus
from pilotis.core.models import AuditEvent
from pilotis.referential.models import Indicator
from pilotis.steering import services
from pilotis.steering.figures import Territory
from pilotis.steering.models import Reminder, ReminderBatch
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.steering.conftest import answer_all, level_one_done

pytestmark = pytest.mark.django_db


def run_worker():
    """The real worker of django-tasks-db, as `manage.py db_worker` runs it, until the queue is empty."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def url(campaign):
    return reverse("steering:reminders", args=[campaign.pk])


def send_url(campaign):
    """The send: GET asks first (`core.confirm`), POST sends."""
    return reverse("steering:remind", args=[campaign.pk])


@pytest.mark.django_db(transaction=True)  # the worker runs as in production: its own transactions
def test_the_dane_reminds_the_schools_that_have_not_started(client_for, world, campaign, landes_schools):
    pil = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    assessment_services.save_answer(
        campaign, world.school_a, pil, status=AnswerStatus.DONE, comment="", by=world.rupn_a
    )
    client = client_for("dane")
    page = client.get(url(campaign), {"target": "not_started"})
    assert page.context["to_remind"] == 7  # school B and the six Landes collèges

    response = client.post(send_url(campaign), {"target": "not_started"})  # queued once the request commits
    assert response.status_code == 302
    batch = ReminderBatch.objects.get()
    assert batch.task_id
    assert (batch.schools, batch.requested_by, batch.finished_at) == (7, world.dane, None)
    assert Reminder.objects.filter(batch=batch, sent_at=None).count() == 7
    assert AuditEvent.objects.filter(action="reminders_requested", actor=world.dane).exists()
    assert mail.outbox == []  # nothing leaves before the worker runs

    run_worker()

    batch.refresh_from_db()
    assert batch.finished_at is not None
    # School B has a RUPN; the Landes collèges of the factory have nobody to write to.
    assert [m.to for m in mail.outbox] == [[world.rupn_b.email]]
    message = mail.outbox[0]
    assert world.school_b.name in message.subject
    assert f"/etablissements/{world.school_b.uai}/schematic/{campaign.school_year}/" in message.body
    reminded = Reminder.objects.get(school=world.school_b)
    assert reminded.recipients == world.rupn_b.email and reminded.sent_at is not None
    assert not Reminder.objects.filter(school=world.school_a).exists()

    # The progress list says when each school was last reminded; the history says who asked.
    progress = client.get(reverse("steering:progress", args=[campaign.pk]))
    reminded_at = {school.pk: when for school, _referents, when in progress.context["rows"]}
    assert reminded_at[world.school_b.pk] == reminded.sent_at
    history = client.get(url(campaign)).context["history"]
    # Seven schools processed: one e-mail, six schools with nobody to write to, whom the progress
    # list does not show as reminded and the history names as such.
    assert [(b.in_scope, b.done, b.sent, b.unreachable) for b in history] == [(7, 7, 1, 6)]
    assert all(reminded_at[school.pk] is None for school in landes_schools)
    text = " ".join(client.get(url(campaign)).content.decode().split())
    assert "1 courriel envoyé, 6 établissements sans destinataire" in text


def test_direction_and_rupn_are_written_to_once_each(world, campaign):
    chef_b = MembershipFactory(user=UserFactory(username="chef_b"), school=world.school_b, role="chef").user
    MembershipFactory(user=UserFactory(username="prof_b"), school=world.school_b, role="membre")
    from pilotis.steering.figures import Territory

    territory = Territory.of(campaign, [world.pyrenees])
    batch = services.request_reminders(territory, target="not_validated", department=world.pyrenees, by=world.dane)
    assert services.send_batch(batch.pk) == 1
    assert sorted(mail.outbox[0].to) == sorted([chef_b.email, world.rupn_b.email])
    # A second run (a worker restarted) sends nothing again.
    assert services.send_batch(batch.pk) == 0
    assert len(mail.outbox) == 1


def test_a_correspondent_reminds_only_their_departement_and_sees_only_their_part(
    client_for, world, campaign, landes_schools
):
    client = client_for("correspondant_40")
    client.post(send_url(campaign), {"target": "not_validated", "department": world.pyrenees.pk})
    assert not ReminderBatch.objects.exists()  # another département: refused by the form

    client.post(send_url(campaign), {"target": "not_validated"})
    batch = ReminderBatch.objects.get()
    assert set(Reminder.objects.filter(batch=batch).values_list("school__department", flat=True)) == {world.landes.pk}
    assert batch.schools == 7

    # The DANE's reminder to the whole académie shows to the correspondent as the Landes' part only.
    client_for("dane").post(send_url(campaign), {"target": "not_validated"})
    history = client_for("correspondant_40").get(url(campaign)).context["history"]
    assert sorted(b.in_scope for b in history) == [7, 7]
    assert client_for("correspondant_64").get(url(campaign)).context["history"][0].in_scope == 1


def test_no_reminder_on_a_closed_campaign(client_for, world, campaign):
    assessment_services.close_campaign(campaign, by=world.dane)
    response = client_for("dane").post(send_url(campaign), {"target": "not_started"}, follow=True)
    assert "La campagne est close" in response.content.decode()
    assert not ReminderBatch.objects.exists()


def test_not_validated_leaves_out_the_validated_schools(client_for, world, campaign, landes_schools):
    """« Not validated » is every school but the validated ones: started or not."""
    answer_all(campaign, world.school_a, world.rupn_a, level_one_done, validate_by=world.chef_a)
    pil = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    assessment_services.save_answer(
        campaign, landes_schools[0], pil, status=AnswerStatus.DONE, comment="", by=world.chef_a
    )
    territory = Territory.of(campaign, [world.landes])
    not_validated = set(services.schools_to_remind(territory, "not_validated").values_list("pk", flat=True))
    assert not_validated == {school.pk for school in landes_schools}  # filling in or not started
    not_started = set(services.schools_to_remind(territory, "not_started").values_list("pk", flat=True))
    assert not_started == {school.pk for school in landes_schools[1:]}

    # The page's count comes from the counters; it is the list's size, for either target, and a
    # closed school is in neither.
    closed = SchoolFactory(department=world.landes, is_open=False)
    for target, schools in (("not_validated", not_validated), ("not_started", not_started)):
        assert set(services.schools_to_remind(territory, target).values_list("pk", flat=True)) == schools
        page = client_for("correspondant_40").get(url(campaign), {"target": target})
        assert page.context["to_remind"] == len(schools)
    assert closed.pk not in not_validated
    page = client_for("correspondant_40").get(url(campaign), {"target": "not_validated"})
    assert page.context["to_remind"] == 6
    client_for("correspondant_40").post(send_url(campaign), {"target": "not_validated"})
    reminded = set(Reminder.objects.values_list("school_id", flat=True))
    assert reminded == not_validated and world.school_a.pk not in reminded


def test_the_history_says_how_many_were_written_to_and_who(client_for, world, campaign, landes_schools):
    chef_b = MembershipFactory(user=UserFactory(username="chef_b"), school=world.school_b, role="chef").user
    territory = Territory.of(campaign, [world.landes, world.pyrenees, world.gironde])
    batch = services.request_reminders(territory, target="not_started", department=None, by=world.dane)
    services.send_batch(batch.pk)
    response = client_for("dane").get(url(campaign))
    (shown,) = response.context["history"]
    # Two e-mails: school A's direction and RUPN (three people), school B's chef and RUPN.
    assert (shown.sent, shown.recipients) == (2, 5)
    by_school = {name: recipients for name, _uai, recipients in shown.written_to}
    assert set(by_school) == {world.school_a.name, world.school_b.name}
    assert sorted(by_school[world.school_b.name].split(", ")) == sorted([chef_b.email, world.rupn_b.email])
    text = " ".join(response.content.decode().split())
    assert "5 destinataires (direction et RUPN)" in text
    assert "<details" in text and chef_b.email in text


def test_the_history_names_the_first_schools_only(client_for, world, campaign, landes_schools, monkeypatch):
    """A batch may hold a whole académie: the page names the first schools, and says so."""
    monkeypatch.setattr(services, "WRITTEN_TO_SHOWN", 1)
    for n, school in enumerate(landes_schools[:3]):
        MembershipFactory(user=UserFactory(username=f"rupn_l{n}"), school=school, role="rupn")
    batch = services.request_reminders(
        Territory.of(campaign, [world.landes]), target="not_started", department=world.landes, by=world.dane
    )
    services.send_batch(batch.pk)
    response = client_for("correspondant_40").get(url(campaign))
    (shown,) = response.context["history"]
    assert shown.sent == 4 and [name for name, _uai, _to in shown.written_to] == [world.school_a.name]
    assert "Les 1 premiers établissements par ordre alphabétique, sur 4." in response.content.decode()


def test_the_reminders_page_costs_the_same_queries_for_more_schools_and_reminders(
    client_for, world, campaign, landes_schools
):
    def remind():
        territory = Territory.of(campaign, [world.landes, world.pyrenees, world.gironde])
        batch = services.request_reminders(territory, target="not_started", department=None, by=world.dane)
        services.send_batch(batch.pk)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(campaign)).status_code == 200
        return len(captured)

    client = client_for("dane")
    remind()
    client.get(url(campaign))  # warm the per-process caches
    before = queries()
    for n in range(30):
        school = SchoolFactory(name=f"Lycée supplémentaire {n}", department=world.gironde)
        MembershipFactory(user=UserFactory(username=f"rupn_g{n}"), school=school, role="rupn")
    remind()
    remind()
    assert queries() == before


def test_the_send_asks_first_with_counts_criterion_and_the_email(client_for, world, campaign, landes_schools):
    chef_b = MembershipFactory(user=UserFactory(username="chef_b"), school=world.school_b, role="chef").user
    client = client_for("dane")
    page = client.get(url(campaign), {"target": "not_started"})
    html = page.content.decode()
    # The page's button is a link to the confirmation, never a form that sends.
    assert f'action="{url(campaign)}"' not in html and '<form method="post">' not in html
    confirm_url = f"{send_url(campaign)}?target=not_started"
    assert confirm_url in html

    response = client.get(send_url(campaign), {"target": "not_started"})
    assert response.status_code == 200
    assert not ReminderBatch.objects.exists()  # asking sends nothing
    text = " ".join(response.content.decode().split())
    assert "Critère : Les établissements qui n&#x27;ont pas commencé — tout votre territoire." in text
    assert "8 établissements seront relancés." in text  # school A, school B, the six Landes collèges
    # School A: its direction (chef, adjoint) and RUPN; school B: its chef and RUPN.
    assert "2 courriels partiront vers la direction et le ou les RUPN (5 destinataires au total)." in text
    assert "6 établissements n&#x27;ont aucun compte de direction ou de RUPN avec une adresse" in text
    # The e-mail as the first school of the list by name receives it.
    assert f"Le courriel, tel que le recevra {world.school_a.name}" in text
    assert f"SCHÉMATIC {campaign.school_year} : autodiagnostic de {world.school_a.name}" in text
    assert f"/etablissements/{world.school_a.uai}/schematic/{campaign.school_year}/" in text
    assert "Envoyer la relance à 8 établissements" in text
    assert chef_b.email not in text  # only the previewed school's recipients are named

    # A correspondent's confirmation counts their département only.
    landes = client_for("correspondant_40").get(send_url(campaign), {"target": "not_started"})
    assert "7 établissements seront relancés." in " ".join(landes.content.decode().split())


def test_after_a_send_the_page_says_so_and_a_second_send_the_same_day_is_warned(client_for, world, campaign):
    client = client_for("dane")  # Bordeaux: school A and school B, neither started
    assert client.post(send_url(campaign), {"target": "not_started"}).status_code == 302
    batch = ReminderBatch.objects.get()
    when = timezone.localtime(batch.requested_at).strftime("%H:%M")
    page = " ".join(client.get(url(campaign), {"target": "not_started"}).content.decode().split())
    assert f"Relance envoyée aujourd’hui à {when} à 2 établissements." in page
    assert "Relancer de nouveau…" in page and "Relancer 2 établissements…" not in page
    confirm = " ".join(client.get(send_url(campaign), {"target": "not_started"}).content.decode().split())
    assert f"Une relance a déjà été envoyée aujourd&#x27;hui à {when} à 2 établissements" in confirm
    # Still possible: the confirmation keeps its button.
    assert "Envoyer la relance à 2 établissements" in confirm
    assert client.post(send_url(campaign), {"target": "not_started"}).status_code == 302
    assert ReminderBatch.objects.count() == 2

    # A send of another day is history, not « today ».
    ReminderBatch.objects.update(requested_at=timezone.now() - datetime.timedelta(days=1))
    page = " ".join(client.get(url(campaign), {"target": "not_started"}).content.decode().split())
    assert "Relance envoyée aujourd’hui" not in page and "Relancer 2 établissements…" in page


def test_the_send_has_its_own_guard(client_for, campaign):
    from pilotis.steering import views

    assert views.reminders.guard == "steering:read"
    assert views.remind.guard == "steering:remind"
    # Reading the reminders page never sends: it takes no POST.
    assert client_for("dane").post(url(campaign), {"target": "not_started"}).status_code == 405
    assert not ReminderBatch.objects.exists()
