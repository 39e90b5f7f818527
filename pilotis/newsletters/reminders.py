"""« Un flash'infos est attendu »: the RUPN of each school whose next issue is due gets one
e-mail per due date (`Reminder` records it, so that a daily run never repeats it)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.core import formats, outbox
from pilotis.core.roles import SchoolRole
from pilotis.newsletters import rhythm
from pilotis.newsletters.enums import Rhythm
from pilotis.newsletters.models import NewsletterSettings, Reminder

MAILING_KIND = "newsletter_reminder"


def due_schools(today=None):
    """(school, due day) of the schools whose next issue is due today or before and whose RUPN
    was not reminded of that day yet."""
    today = today or timezone.localdate()
    chosen = (
        NewsletterSettings.objects.exclude(rhythm=Rhythm.NONE)
        .filter(school__is_open=True)
        .select_related("school")
        .order_by("school__uai")
    )
    for found in chosen:
        school = found.school
        due_on = rhythm.due_on(Rhythm(found.rhythm), rhythm.last_published(school), today)
        if (
            due_on is not None
            and due_on <= today
            and not Reminder.objects.filter(school=school, due_on=due_on).exists()
        ):
            yield school, due_on


def rupn_addresses(school) -> list[str]:
    return list(
        SchoolMembership.objects.filter(school=school, role=SchoolRole.RUPN, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def remind(school, due_on) -> Reminder | None:
    """Writes the reminder of this due day and posts its e-mail; None when the school has no RUPN
    with an address (it is tried again on the next run) or another run was first."""
    to = rupn_addresses(school)
    if not to:
        return None
    url = settings.SITE_URL.rstrip("/") + reverse("newsletters:home", args=[school.uai])
    context = {"school": school, "due_on": formats.day(due_on), "url": url}
    letter = outbox.Letter(
        subject=_("Un flash'infos est attendu — %(school)s") % {"school": school.name},
        body=render_to_string("newsletters/email/reminder.txt", context),
    )
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(school=school, due_on=due_on)
            reminder.mailing = outbox.post(kind=MAILING_KIND, label=letter.subject, letter=letter, to=to)
            reminder.save(update_fields=["mailing"])
    except (IntegrityError, ValidationError):
        return None
    return reminder


def remind_all(today=None) -> int:
    return sum(1 for school, due_on in list(due_schools(today)) if remind(school, due_on) is not None)
