"""The reach of a mass e-mail: an item published to 2,000 RUPN arrives, through a real SMTP server
and in chunks, once at every address with its headers; a server that answers 451 mid-way loses
nothing and sends nothing twice; an interrupted mailing is asked for again (`requeue_mailings`)."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership, User
from pilotis.core import outbox
from pilotis.core.models import Delivery, Mailing
from pilotis.news import services
from pilotis.territories.models import School
from tests.news.conftest import draft

pytestmark = pytest.mark.django_db

RUPN = 2000


def many_rupn(world, count):
    """`count` collèges of the Landes, each with its RUPN (new people: no scope to invalidate)."""
    schools = School.objects.bulk_create(
        School(
            uai=f"9{n:06d}X",
            name=f"Collège {n}",
            kind="college",
            sector="public",
            department=world.landes,
            commune="Dax",
        )
        for n in range(count)
    )
    users = User.objects.bulk_create(
        User(username=f"rupn{n}", email=f"rupn{n}@college{n}.example", password="!") for n in range(count)
    )
    SchoolMembership.objects.bulk_create(
        SchoolMembership(user=user, school=school, role=SchoolRole.RUPN)
        for user, school in zip(users, schools, strict=True)
    )
    return {user.email for user in users}


@pytest.mark.slow
def test_an_item_to_two_thousand_rupn_arrives_once_at_every_address(world, smtp_server):
    addresses = many_rupn(world, RUPN - 1) | {world.rupn_a.email}
    item = services.publish(draft(world), by=world.correspondant_40)
    assert item.mailing.total == RUPN

    assert outbox.send(item.mailing.pk, chunk=150) == RUPN

    messages = smtp_server.messages
    to = Counter(m["To"] for m in messages)
    assert set(to) == addresses and max(to.values()) == 1
    ids = {d.to: d.message_id for d in Delivery.objects.filter(mailing=item.mailing)}
    assert all(m["Message-ID"] == ids[m["To"]] for m in messages)
    assert len({m["Message-ID"] for m in messages}) == RUPN
    assert {m["Subject"] for m in messages} == {item.title}
    assert {m["From"] for m in messages} == {"Pilotis <ne-pas-repondre@pilotis.invalid>"}
    assert all(len(m.get_all("To")) == 1 and m["Cc"] is None and m["Bcc"] is None for m in messages)
    assert {env.rcpt_tos[0] for env in smtp_server.inbox.envelopes} == addresses
    state = outbox.progress(Mailing.objects.get(pk=item.mailing_id))
    assert (state.sent, state.pending, state.finished) == (RUPN, 0, True)


def test_a_451_mid_way_stops_the_run_and_the_next_try_sends_the_rest_once(world, smtp_server):
    many_rupn(world, 299)
    item = services.publish(draft(world), by=world.correspondant_40)
    arrivals = []

    def answer(message):
        arrivals.append(message["Message-ID"])
        return "451 4.3.0 Try again later" if len(arrivals) == 120 else None

    smtp_server.inbox.on_data = answer
    assert outbox.send(item.mailing.pk, chunk=50) == 119
    mailing = Mailing.objects.get(pk=item.mailing_id)
    assert mailing.attempts == 1 and "451" in mailing.last_error and mailing.retry_at is not None
    assert DBTaskResult.objects.filter(run_after=mailing.retry_at).exists()  # the next try, scheduled

    assert outbox.send(item.mailing.pk, chunk=50) == 181

    ids = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert len(ids) == 300 and max(ids.values()) == 1
    assert Counter(arrivals)[arrivals[119]] == 2  # refused once, accepted at the next try
    mailing.refresh_from_db()
    assert mailing.finished_at is not None and mailing.last_error == ""


def test_an_interrupted_mailing_is_asked_for_again_and_only_it(world, smtp_server):
    item = services.publish(draft(world), by=world.correspondant_40)
    waiting = services.publish(draft(world, title="En attente"), by=world.correspondant_40)
    Mailing.objects.filter(pk=waiting.mailing_id).update(last_error="injoignable", attempts=6)
    done = services.publish(draft(world, title="Finie"), by=world.correspondant_40)
    outbox.send(done.mailing_id)
    DBTaskResult.objects.all().delete()  # the worker died with its task: nothing is queued

    out = io.StringIO()
    call_command("requeue_mailings", stdout=out)

    assert out.getvalue().strip() == "1 envoi(s) de courriels relancé(s)."
    queued = [
        r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(task_path="pilotis.core.tasks.send_mailing")
    ]
    assert queued == [item.mailing_id]
    call_command("requeue_mailings", stdout=io.StringIO())
    assert DBTaskResult.objects.count() == 1  # a mailing already queued is not queued twice
