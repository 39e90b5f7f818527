"""Campaigns, assessments, answers and their history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.assessments.enums import AnswerStatus, AssessmentState, CampaignPhase, CampaignState
from pilotis.core.formats import day
from pilotis.core.school_years import school_year_of
from pilotis.referential.models import Domain, Indicator, ReferentialVersion
from pilotis.territories.models import Academy, Department, School


class CampaignQuerySet(models.QuerySet):
    """The one rule of « the current campaign »: a school's current campaign is its académie's
    campaign of the current school year, once its opening date has come. A campaign opened in
    advance is « Programmée » until then (not fillable, nobody's current campaign); since the
    académie has one campaign per school year, two campaigns never both take over its schools."""

    def for_user(self, user):
        """The campaigns of the académies of the user's territory (`Academy.objects.for_user`): its
        DANE's, and a correspondent's académie; none for a school's member."""
        return self.filter(academy__in=Academy.objects.for_user(user))

    def managed_by(self, user):
        """The campaigns the user opens, closes and edits: those of the académies they lead as
        their DANE (`Academy.objects.led_by`), all for the administrator."""
        return self.filter(academy__in=Academy.objects.led_by(user))

    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(school_year=school_year_of(today), opens_on__lte=today)

    def current_for(self, academy_id, today=None) -> "Campaign | None":
        """The académie's current campaign, or None (none this year, or not open yet)."""
        return self.filter(academy_id=academy_id).current(today).first()

    def started(self, today=None):
        """The campaigns whose opening date has come (the scheduled ones left out), the latest
        school year first: the current campaign, when there is one, comes first, since a campaign
        opens within its own school year (campaigns.check_dates)."""
        today = today or timezone.localdate()
        return self.filter(opens_on__lte=today).order_by("-school_year", "academy__name")


class Campaign(models.Model):
    """One school year of SCHÉMATIC in one académie, on one referential version."""

    academy = models.ForeignKey(Academy, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="campaigns")
    school_year = models.CharField(_("année scolaire"), max_length=9)
    referential = models.ForeignKey(
        ReferentialVersion, verbose_name=_("référentiel"), on_delete=models.PROTECT, related_name="campaigns"
    )
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture prévue"))
    state = models.CharField(_("état"), max_length=10, choices=CampaignState.choices, default=CampaignState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne")
        ordering = ["-school_year", "academy__name"]
        constraints = [models.UniqueConstraint(fields=["academy", "school_year"], name="campaign_unique_year")]

    def __str__(self):
        return str(_("Campagne %(year)s — %(academy)s") % {"year": self.school_year, "academy": self.academy.name})

    @property
    def phase(self) -> CampaignPhase:
        """« Programmée » until its opening date, then « Ouverte » until the DANE closes it. Read
        from the dates, so that no task has to flip a stored state on the day."""
        if self.state == CampaignState.CLOSED:
            return CampaignPhase.CLOSED
        if self.opens_on > timezone.localdate():
            return CampaignPhase.SCHEDULED
        return CampaignPhase.OPEN

    def get_phase_display(self) -> str:
        return self.phase.label

    @property
    def opens_on_display(self) -> str:
        return day(self.opens_on)

    @property
    def closes_on_display(self) -> str:
        return day(self.closes_on)

    @property
    def is_open(self) -> bool:
        """Whether schools may answer: opened, not closed."""
        return self.phase == CampaignPhase.OPEN

    @property
    def is_scheduled(self) -> bool:
        return self.phase == CampaignPhase.SCHEDULED

    @property
    def is_closed(self) -> bool:
        return self.state == CampaignState.CLOSED


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(school__in=School.objects.for_user(user))


class Assessment(models.Model):
    """A school's self-assessment for one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="assessments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(_("état"), max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_by_label = models.CharField(max_length=200, blank=True)
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    # « Prêt à valider »: who told the direction the self-assessment was ready, and when (the
    # name kept as text, as for the validation). Cleared by validating; a later answer leaves it,
    # and the page says « modifié depuis » (an AnswerChange after `ready_at`).
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ready_by_label = models.CharField(max_length=200, blank=True)
    ready_at = models.DateTimeField(_("signalé prêt à valider le"), null=True, blank=True)
    started_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(_("dernière activité"), default=timezone.now)
    # Level reached per domain code, kept up to date by services.save_answer: dashboards and
    # territory means read it instead of recomputing from the answers.
    domain_levels = models.JSONField(_("niveaux atteints"), default=dict, blank=True)
    # Indicators with a status: 0 means "not started" for the campaign's progress.
    answered_count = models.PositiveSmallIntegerField(_("indicateurs renseignés"), default=0)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("autodiagnostic")
        verbose_name_plural = _("autodiagnostics")
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="assessment_unique_school")]
        indexes = [models.Index(fields=["campaign", "answered_count"], name="assessment_progress")]

    def __str__(self):
        return f"{self.school.name} — {self.campaign.school_year}"

    @property
    def is_validated(self) -> bool:
        return self.state == AssessmentState.VALIDATED


class Answer(models.Model):
    """The current answer to one indicator. `revision` counts its changes (compare-and-set)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("réponse"), max_length=12, choices=AnswerStatus.choices, blank=True, default="")
    comment = models.TextField(_("commentaire"), blank=True, default="", max_length=2000)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    # Carried over from an earlier campaign by « Reprendre les réponses » (start_from_previous):
    # the year and who did it stay; `to_check` (« repris, à vérifier ») lasts until someone
    # confirms the answer or changes it.
    carried_over_from = models.CharField(_("reprise de l'année"), max_length=9, blank=True, default="")
    carried_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_check = models.BooleanField(_("repris, à vérifier"), default=False)

    class Meta:
        verbose_name = _("réponse")
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="answer_unique_indicator")]

    def __str__(self):
        return f"{self.indicator.code}: {self.status or '—'}"


class AnswerChangeKind(models.TextChoices):
    CHANGED = "", _("modification")
    CARRIED_OVER = "carried_over", _("reprise de l'année précédente")
    CONFIRMED = "confirmed", _("réponse reprise confirmée")


class AnswerChange(models.Model):
    """Every change of an answer or its comment: who, when, from what to what. Each one is one
    revision of the answer (the n-th row by id is revision n)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_by_label = models.CharField(max_length=200, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    status_before = models.CharField(max_length=12, blank=True, choices=AnswerStatus.choices)
    status_after = models.CharField(max_length=12, blank=True, choices=AnswerStatus.choices)
    comment_before = models.TextField(blank=True)
    comment_after = models.TextField(blank=True)
    # The revision the author's page showed: lower than the answer's then means a later save won.
    based_on_revision = models.PositiveIntegerField(null=True)
    kind = models.CharField(max_length=12, blank=True, default="", choices=AnswerChangeKind.choices)
    # Where the change came from when not typed on the self-assessment's page, in words (« action
    # « Former l'équipe à l'ENT » du plan d'actions »): the loop from the plan is never silent.
    source = models.CharField(_("origine"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("modification de réponse")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.changed_by_label}: {self.status_before} → {self.status_after}"


# Tallies: the territory's figures, per campaign and département, kept up to date by the services
# that change answers (see `tallies.py`), so that the dashboards sum a few rows per département
# instead of counting answers at request time. `tallies.rebuild` recomputes them from the answers.
# Plain integers, not positive ones: a counter gone wrong must not make a school's save fail.


class CampaignTally(models.Model):
    """Assessments of one campaign in one département that have started, and that are validated."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    started = models.IntegerField(default=0)
    validated = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "department"], name="campaign_tally_unique")]

    def __str__(self):
        return f"{self.campaign_id}/{self.department_id}: {self.started} started, {self.validated} validated"


class IndicatorTally(models.Model):
    """How many assessments of the campaign in the département answer the indicator each way."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    done = models.IntegerField(default=0)
    in_progress = models.IntegerField(default=0)
    not_done = models.IntegerField(default=0)

    class Meta:
        # Campaign, then indicator: the dashboards sum a campaign's rows per indicator, and this
        # order serves that GROUP BY from the index. The other order lets SQLite scan the
        # indicator index over every campaign (benchmarks/README.md).
        constraints = [
            models.UniqueConstraint(fields=["campaign", "indicator", "department"], name="indicator_tally_unique")
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.department_id}/{self.indicator_id}: {self.done}/{self.in_progress}/{self.not_done}"


class LevelTally(models.Model):
    """How many started assessments of the campaign in the département reach each level of a domain."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    schools = models.IntegerField(default=0)
    # Of those, the validated ones: the synthesis' territory means are over validated schools.
    validated = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department", "domain", "level"], name="level_tally_unique")
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.department_id}/{self.domain_id} level {self.level}: {self.schools} ({self.validated})"
