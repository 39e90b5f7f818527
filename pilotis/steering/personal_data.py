"""The reminders sent to the person or asked by them, for the download of their data
(core.personal_data)."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when
from pilotis.steering.models import Reminder, ReminderBatch


@section("reminders_received", lambda: _("Relances reçues par courriel"), 60)
def reminders_received(user) -> list[dict]:
    if not user.email:
        return []
    email = user.email.lower()
    reminders = (
        Reminder.objects.filter(recipients__icontains=email, sent_at__isnull=False)
        .select_related("school", "campaign")
        .order_by("sent_at", "pk")
    )
    return [
        {_("date"): when(r.sent_at), _("établissement"): r.school.name, _("campagne"): r.campaign.school_year}
        for r in reminders
        # `recipients` is a list: only the exact address, not one that contains it.
        if email in {address.strip().lower() for address in r.recipients.split(",")}
    ]


@section("reminders_requested", lambda: _("Relances demandées par vous"), 61)
def reminders_requested(user) -> list[dict]:
    return [
        {
            _("date"): when(b.requested_at),
            _("campagne"): b.campaign.school_year,
            _("cible"): b.get_target_display(),
            _("établissements"): b.schools,
        }
        for b in ReminderBatch.objects.filter(requested_by=user).select_related("campaign").order_by("pk")
    ]


@anonymiser("steering")
def forget(user) -> None:
    ReminderBatch.objects.filter(requested_by=user).update(requested_by_label=str(ANONYMOUS_LABEL))
    if not user.email:
        return
    email = user.email.lower()
    for reminder in Reminder.objects.filter(recipients__icontains=email):
        addresses = [a.strip() for a in reminder.recipients.split(",") if a.strip()]
        # The address gives way to the label, not to nothing: the school was reached when the
        # e-mail left, and the history still counts every person it was written to.
        kept = [str(ANONYMOUS_LABEL) if a.lower() == email else a for a in addresses]
        if kept != addresses:
            Reminder.objects.filter(pk=reminder.pk).update(recipients=", ".join(kept))
