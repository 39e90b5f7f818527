"""SECURITY.md, « Personal data: download and anonymisation »: an account unused for
ACCOUNT_INACTIVITY_DAYS is told by e-mail, then anonymised ACCOUNT_NOTICE_DAYS later unless the
person signs in; their contributions stay, unnamed."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pilotis.accounts.models import SchoolMembership, User
from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import AnswerChange
from pilotis.core.models import AuditEvent
from pilotis.missions.models import Designation
from pilotis.referential.models import Indicator
from pilotis.steering import services as steering_services
from pilotis.steering.figures import Territory
from pilotis.steering.models import Reminder
from tests.security.helpers import sign_in

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=4 * 365)


def run(*args) -> str:
    out = io.StringIO()
    call_command("anonymise_inactive", *args, stdout=out)
    return out.getvalue()


def unused(*users):
    User.objects.filter(pk__in=[u.pk for u in users]).update(last_login=LONG_AGO, date_joined=LONG_AGO)


def notice_older(user, days):
    User.objects.filter(pk=user.pk).update(inactivity_notice_at=timezone.now() - datetime.timedelta(days=days))


def test_an_unused_account_is_told_then_anonymised_and_its_contributions_stay_unnamed(world, campaign, signed):
    pil = Indicator.objects.filter(version=campaign.referential).order_by("code").first()
    assessment_services.save_answer(campaign, world.school_a, pil, status="realise", comment="", by=world.rupn_a)
    batch = steering_services.request_reminders(
        Territory.of(campaign, [world.landes]), target="not_validated", department=None, by=world.dane
    )
    steering_services.send_batch(batch.pk)
    email = world.rupn_a.email
    assert email in Reminder.objects.get(school=world.school_a).recipients
    unused(world.rupn_a)
    mail.outbox.clear()

    assert "Simulation : 1 avis envoyé(s), 0 compte(s) anonymisé(s)." in run("--dry-run")
    assert mail.outbox == [] and User.objects.get(pk=world.rupn_a.pk).inactivity_notice_at is None

    assert "1 avis envoyé(s), 0 compte(s) anonymisé(s)." in run()
    assert [m.to for m in mail.outbox] == [[email]]
    assert "sera anonymisé" in mail.outbox[0].body and "/compte/connexion/" in mail.outbox[0].body
    assert "0 avis envoyé(s), 0 compte(s) anonymisé(s)." in run()  # told already, deadline not reached

    notice_older(world.rupn_a, 31)
    assert "0 avis envoyé(s), 1 compte(s) anonymisé(s)." in run()

    user = User.objects.get(pk=world.rupn_a.pk)
    assert (user.username, user.first_name, user.last_name, user.email) == (f"anonyme-{user.pk}", "", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not SchoolMembership.objects.filter(user=user).exists()
    # The school's history keeps the contribution, without the name.
    assert AnswerChange.objects.get(changed_by=user).changed_by_label == "Compte anonymisé"
    assert Designation.objects.get(user=user).user_label == "Compte anonymisé"
    assert signed.__class__.objects.get(pk=signed.pk).accepted_by_label == "Compte anonymisé"
    assert email not in Reminder.objects.get(school=world.school_a).recipients
    assert not AuditEvent.objects.filter(actor_label="rupn_a").exists()
    assert AuditEvent.objects.filter(action="user_anonymised", object_id=str(user.pk)).exists()


def test_signing_in_after_the_notice_keeps_the_account(client, world):
    unused(world.member_a)
    run()
    notice_older(world.member_a, 31)
    assert sign_in(client, "member_a").status_code == 302
    assert "0 avis envoyé(s), 0 compte(s) anonymisé(s)." in run()
    assert User.objects.get(pk=world.member_a.pk).username == "member_a"


def test_recent_accounts_administrators_and_accounts_without_address(world):
    unused(world.admin)
    nobody = world.nobody
    User.objects.filter(pk=nobody.pk).update(email="", last_login=None, date_joined=LONG_AGO)
    mail.outbox.clear()
    assert "1 avis envoyé(s), 0 compte(s) anonymisé(s)." in run()  # the address-less one; not the admin
    assert mail.outbox == []  # nobody to write to: the notice is recorded, the deadline runs
    assert User.objects.get(pk=nobody.pk).inactivity_notice_at is not None
    notice_older(nobody, 31)
    run()
    assert User.objects.get(pk=nobody.pk).username.startswith("anonyme-")
    assert User.objects.get(pk=world.admin.pk).username == "admin"
    assert User.objects.get(pk=world.chef_a.pk).username == "chef_a"  # recent: untouched
