"""Writes of steering: reminders. The request is recorded at once (one row per school, so that
the list of who will be reminded is fixed when the person clicks), the e-mails leave from a
background task (`tasks.send_reminders`), which can run again after a crash without sending
twice what was sent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, Length, Replace, RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.roles import SchoolRole
from pilotis.steering.models import Reminder, ReminderBatch, ReminderTarget
from pilotis.steering.schools import in_state, with_assessment

RECIPIENT_ROLES = [*SchoolRole.direction(), SchoolRole.RUPN]


def schools_to_remind(territory, target):
    schools = with_assessment(territory)
    if target == ReminderTarget.NOT_STARTED:
        return in_state(schools, "not_started", territory.campaign)
    return schools.exclude(current__state="validated")


@transaction.atomic
def request_reminders(territory, *, target, department, by, request=None) -> ReminderBatch:
    campaign = territory.campaign
    if not campaign.is_open:
        raise ValidationError(_("La campagne est close : il n'y a plus personne à relancer."))
    school_ids = list(schools_to_remind(territory, target).values_list("pk", flat=True))
    if not school_ids:
        raise ValidationError(_("Aucun établissement à relancer."))
    batch = ReminderBatch.objects.create(
        campaign=campaign,
        target=target,
        department=department,
        requested_by=by,
        requested_by_label=(by.get_full_name() or by.get_username())[:200],
        schools=len(school_ids),
    )
    Reminder.objects.bulk_create(
        (Reminder(batch=batch, campaign=campaign, school_id=pk) for pk in school_ids), batch_size=2000
    )
    audit.record(
        AuditAction.REMINDERS_REQUESTED,
        actor=by,
        obj=batch,
        after={"campaign": campaign.school_year, "target": target, "schools": len(school_ids)},
        request=request,
    )

    def enqueue():
        from pilotis.steering.tasks import send_reminders

        result = send_reminders.enqueue(batch.pk)
        ReminderBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return batch


def recipients_of(schools) -> tuple[int, int]:
    """(addresses, schools with at least one): what a send to `schools` would write to, counted
    as `send_batch` writes (each address once per school). Two COUNTs, for the confirmation page."""
    memberships = SchoolMembership.objects.filter(
        school__in=schools.values("pk"), role__in=RECIPIENT_ROLES, user__is_active=True
    ).exclude(user__email="")
    addresses = memberships.values("school_id", "user__email").distinct().count()
    return addresses, memberships.values("school_id").distinct().count()


def preview(territory, target, by):
    """The e-mail as it would leave for the first school of the list, by name: (school, message),
    or (None, None) when the list is empty. Nothing is recorded."""
    school = schools_to_remind(territory, target).order_by("sort_name", "uai").first()
    if school is None:
        return None, None
    batch = ReminderBatch(
        campaign=territory.campaign, target=target, requested_by_label=(by.get_full_name() or by.get_username())[:200]
    )
    emails = _recipients_by_school([school.pk]).get(school.pk, [])
    return school, _message(batch, school, emails)


def sent_today(batches):
    """The latest of these batches (newest first, as `history` gives them) requested today, in
    local time; None if none."""
    today = timezone.localdate()
    return next((b for b in batches if timezone.localtime(b.requested_at).date() == today), None)


def _recipients_by_school(school_ids) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for school_id, email in (
        SchoolMembership.objects.filter(school_id__in=school_ids, role__in=RECIPIENT_ROLES, user__is_active=True)
        .exclude(user__email="")
        .order_by("school_id", "role", "user__email")
        .values_list("school_id", "user__email")
    ):
        if email not in out.setdefault(school_id, []):
            out[school_id].append(email)
    return out


def send_batch(batch_id: int, *, chunk: int = 200) -> int:
    """Sends the batch's e-mails not sent yet; returns how many left. Each school's e-mail and its
    `sent_at` are one transaction: after a crash, a new run sends at most that one again."""
    batch = ReminderBatch.objects.select_related("campaign__academy").get(pk=batch_id)
    sent = 0
    mailer = mailers.default
    while True:
        pending = list(
            Reminder.objects.filter(batch=batch, sent_at=None).select_related("school").order_by("pk")[:chunk]
        )
        if not pending:
            break
        recipients = _recipients_by_school([r.school_id for r in pending])
        for reminder in pending:
            with transaction.atomic():
                # Another worker may have taken it meanwhile: skip it then.
                mine = Reminder.objects.select_for_update(skip_locked=True).filter(pk=reminder.pk, sent_at=None)
                if mine.first() is None:
                    continue
                emails = recipients.get(reminder.school_id, [])
                if emails:
                    mailer.send_messages([_message(batch, reminder.school, emails)])
                    sent += 1
                Reminder.objects.filter(pk=reminder.pk).update(recipients=", ".join(emails), sent_at=timezone.now())
    ReminderBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
    return sent


def _message(batch, school, emails) -> EmailMessage:
    campaign = batch.campaign
    link = settings.SITE_URL.rstrip("/") + reverse("assessments:home", args=[school.uai, campaign.school_year])
    context = {"school": school, "campaign": campaign, "batch": batch, "link": link}
    return EmailMessage(
        subject=_("SCHÉMATIC %(year)s : autodiagnostic de %(school)s")
        % {"year": campaign.school_year, "school": school.name},
        body=render_to_string("steering/emails/reminder.txt", context),
        to=emails,
    )


def last_reminders(campaign, schools) -> dict[int, object]:
    """When each given school was last reminded about the campaign (one query for a page): a
    reminder that found nobody to write to reminded nobody."""
    return dict(
        Reminder.objects.filter(campaign=campaign, school__in=[s.pk for s in schools], sent_at__isnull=False)
        .exclude(recipients="")
        .values("school_id")
        .annotate(last=Max("sent_at"))
        .values_list("school_id", "last")
    )


HISTORY_BATCHES = 20
WRITTEN_TO_SHOWN = 50  # schools named per batch: the page must not grow with the territory


def history(campaign, territory) -> list[ReminderBatch]:
    """The campaign's reminders, each counted within the viewer's départements only: a
    correspondent sees the DANE's reminders to their schools, never the number sent elsewhere.
    `done`: schools processed; of those, `sent` got an e-mail and `unreachable` had nobody to
    write to (no direction or RUPN account with an e-mail address); `recipients`: the addresses
    written to. `written_to`: the first schools e-mailed, by name, with their addresses."""
    mine = Q(reminders__school__department_id__in=territory.department_ids)
    done = mine & Q(reminders__sent_at__isnull=False)
    sent = done & ~Q(reminders__recipients="")
    # `recipients` is the addresses joined by ", ": one more than its commas.
    addresses = Length("reminders__recipients") - Length(Replace("reminders__recipients", Value(","), Value(""))) + 1
    batches = list(
        ReminderBatch.objects.filter(campaign=campaign)
        .select_related("department")
        .annotate(
            in_scope=Count("reminders", filter=mine),
            done=Count("reminders", filter=done),
            sent=Count("reminders", filter=sent),
            unreachable=Count("reminders", filter=done & Q(reminders__recipients="")),
            recipients=Coalesce(Sum(addresses, filter=sent), 0),
        )
        .filter(in_scope__gt=0)
        .order_by("-requested_at", "-pk")[:HISTORY_BATCHES]
    )
    written_to = _written_to([batch.pk for batch in batches], territory)
    for batch in batches:
        batch.written_to = written_to.get(batch.pk, [])
    return batches


def _written_to(batch_ids, territory) -> dict[int, list[tuple[str, str, str]]]:
    """Per batch, (name, UAI, addresses) of its first `WRITTEN_TO_SHOWN` schools e-mailed within
    the viewer's départements, by name: one query for the whole history."""
    rank = Window(RowNumber(), partition_by=F("batch_id"), order_by=[F("school__sort_name").asc(), F("pk").asc()])
    out: dict[int, list[tuple[str, str, str]]] = {}
    for batch_id, name, uai, recipients in (
        Reminder.objects.filter(
            batch_id__in=batch_ids, school__department_id__in=territory.department_ids, sent_at__isnull=False
        )
        .exclude(recipients="")
        .annotate(rank=rank)
        .filter(rank__lte=WRITTEN_TO_SHOWN)
        .order_by("batch_id", "school__sort_name", "pk")
        .values_list("batch_id", "school__name", "school__uai", "recipients")
    ):
        out.setdefault(batch_id, []).append((name, uai, recipients))
    return out
