"""Reminders: who asked to remind which schools of a campaign, and who was e-mailed when."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.assessments.models import Campaign
from pilotis.territories.models import Department, School


class ReminderTarget(models.TextChoices):
    NOT_STARTED = "not_started", _("établissements qui n'ont pas commencé")
    NOT_VALIDATED = "not_validated", _("établissements qui n'ont pas validé")


class ReminderBatch(models.Model):
    """One request of a correspondent or the DANE: remind these schools. Sent by a task."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(_("établissements relancés"), max_length=20, choices=ReminderTarget.choices)
    # None: every département the requester followed at the time.
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_by_label = models.CharField(max_length=200)
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    schools = models.PositiveIntegerField(_("établissements"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("relance")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.campaign} — {self.get_target_display()} — {self.requested_at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """The e-mail to one school's direction and RUPN. `sent_at` is set once the school has been
    processed: the e-mail has left, or, with no `recipients`, there was nobody to write to."""

    batch = models.ForeignKey(ReminderBatch, on_delete=models.CASCADE, related_name="reminders")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    recipients = models.TextField(_("destinataires"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("relance d'un établissement")
        indexes = [models.Index(fields=["campaign", "school", "sent_at"], name="reminder_school")]

    def __str__(self):
        return f"{self.school_id} — {self.sent_at or '…'}"


class PlanSchoolState(models.Model):
    """What one open school counts for in the territory's plan figures of one school year: a row
    exists while a plan of the school covers that year. Kept so that a recount of the school moves
    the département's counters (`PlanTally`, `AimedTally`) by the difference (steering.plan_tallies);
    `department` is the one counted in, so a school that moves is taken out of the right one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(max_length=9)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    adopted = models.BooleanField(default=False)
    # The indicator codes its plans covering the year aim at (by an action or an objective), sorted.
    codes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("état du plan d'un établissement")
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="plan_school_state_unique")]

    def __str__(self):
        return f"{self.school_id} {self.school_year}"


class PlanTally(models.Model):
    """Per school year and département, the open schools with a plan covering the year, and those
    with an adopted one."""

    school_year = models.CharField(max_length=9)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    schools_with_plan = models.IntegerField(default=0)
    schools_adopted = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("décompte des plans")
        constraints = [models.UniqueConstraint(fields=["school_year", "department"], name="plan_tally_unique")]

    def __str__(self):
        return f"{self.school_year} {self.department_id}"


class AimedTally(models.Model):
    """Per school year, département and indicator code, the open schools whose plans covering the
    year aim at that indicator."""

    school_year = models.CharField(max_length=9)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20)
    schools = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("décompte des indicateurs visés")
        constraints = [models.UniqueConstraint(fields=["school_year", "department", "code"], name="aimed_tally_unique")]

    def __str__(self):
        return f"{self.school_year} {self.department_id} {self.code}"
