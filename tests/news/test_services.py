"""The news' services: a draft checked and written, published to a real SMTP server, withdrawn,
its sending resumed, its first reading recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilotis.core import outbox
from pilotis.core.models import AuditEvent, Delivery, Mailing
from pilotis.news import services
from pilotis.news.models import NewsItem, NewsReading
from tests.factories import MembershipFactory, UserFactory
from tests.news.conftest import draft, news_input, published

pytestmark = pytest.mark.django_db


def test_publishing_sends_the_item_to_the_rupn_it_reaches(world, smtp_server, django_capture_on_commit_callbacks):
    item = draft(world, by=world.dane, department_id=None)  # the académie: the RUPN of A and B
    with django_capture_on_commit_callbacks():
        item = services.publish(item, by=world.dane)
    assert item.published_at is not None and item.mailing.kind == "news"

    assert outbox.send(item.mailing.pk) == 2

    received = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {world.rupn_a.email, world.rupn_b.email}
    message = received[world.rupn_a.email]
    assert message["Subject"] == "LINE 40 — décembre"
    assert message["Message-ID"] == Delivery.objects.get(to=world.rupn_a.email).message_id
    text = message.get_body(("plain",)).get_content()
    assert "https://example.org/line40" in text and f"/actualites/{item.pk}/" in text
    html = message.get_body(("html",)).get_content()
    assert "<strong>rencontres</strong>" in html
    event = AuditEvent.objects.get(action="news_published")
    assert event.after == {"schools": 2, "rupn": 2, "sent_to": 2}


def test_a_header_injection_in_the_title_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError, match="une ligne"):
        draft(world, title="LINE 40\r\nBcc: eve@evil.example")
    assert not NewsItem.objects.exists() and not Mailing.objects.exists()


def test_a_correspondent_may_not_write_to_another_departement_nor_to_the_academy(world):
    with pytest.raises(ValidationError, match="Vous ne pouvez pas écrire à ce territoire"):
        draft(world, department_id=world.pyrenees.pk)
    with pytest.raises(ValidationError, match="Vous ne pouvez pas écrire à ce territoire"):
        draft(world, department_id=None)
    assert not NewsItem.objects.exists()


def test_a_departement_of_another_academy_is_refused(world):
    with pytest.raises(ValidationError, match="Ce territoire n’existe pas"):
        draft(world, by=world.dane, department_id=world.ille.pk)


def test_every_bad_field_is_named_at_once(world):
    with pytest.raises(ValidationError) as error:
        services.save_draft(news_input(world, title=" ", body="", link="javascript:alert(1)"), by=world.dane)
    assert len(error.value.messages) == 3


def test_another_correspondent_may_not_change_a_draft(world):
    item = draft(world)
    with pytest.raises(PermissionDenied):
        services.save_draft(news_input(world, title="Autre"), by=world.correspondant_64, item=item)
    assert NewsItem.objects.get().title == "LINE 40 — décembre"


def test_a_published_item_is_neither_changed_nor_published_again(world):
    item = published(world)
    with pytest.raises(ValidationError, match="publiée"):
        services.save_draft(news_input(world, title="Autre"), by=world.correspondant_40, item=item)
    with pytest.raises(ValidationError, match="déjà publiée"):
        services.publish(item, by=world.correspondant_40)
    assert Mailing.objects.count() == 1


def test_an_item_reaching_no_rupn_is_not_published(world):
    with pytest.raises(ValidationError, match="Aucun RUPN"):
        services.publish(draft(world, school_kind="lycee_gt"), by=world.correspondant_40)
    assert NewsItem.objects.get().published_at is None


def test_a_rupn_without_address_is_counted_but_not_written_to(world):
    MembershipFactory(user=UserFactory(username="rupn_sans", email=""), school=world.school_a, role="rupn")
    plan = services.plan(draft(world))
    assert (plan.schools, plan.rupn, plan.addresses, len(plan.without_address)) == (1, 2, [world.rupn_a.email], 1)


def test_withdrawing_hides_the_item_and_is_journaled(world):
    item = published(world)
    services.withdraw(item, by=world.dane)
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="news_withdrawn", object_id=str(item.pk)).exists()
    with pytest.raises(ValidationError, match="déjà retirée"):
        services.withdraw(item, by=world.dane)


def test_resuming_after_the_last_automatic_try_asks_the_worker_again(world, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    item = published(world)
    Mailing.objects.filter(pk=item.mailing_id).update(attempts=6, last_error="Le serveur…", retry_at=None)
    item.refresh_from_db()
    assert outbox.progress(item.mailing).waiting_for_author
    with django_capture_on_commit_callbacks(execute=True):
        services.resume_sending(item, by=world.correspondant_40)
    assert Mailing.objects.get(pk=item.mailing_id).attempts == 0
    assert DBTaskResult.objects.filter(task_path="pilotis.core.tasks.send_mailing").exists()
    assert AuditEvent.objects.filter(action="mailing_resumed").exists()


def test_the_first_reading_is_kept(world):
    item = published(world)
    first = services.mark_read(item, world.rupn_a)
    NewsReading.objects.filter(pk=first.pk).update(read_at=timezone.now() - timezone.timedelta(days=3))
    again = services.mark_read(item, world.rupn_a)
    assert again.pk == first.pk and NewsReading.objects.count() == 1
    assert (timezone.now() - again.read_at).days == 3
