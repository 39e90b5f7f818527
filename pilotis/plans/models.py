"""The school's digital action plan: objectives tied to indicators, actions with their journal, the
versions the direction adopted, and the DANE's catalogue of suggested actions per indicator."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Campaign
from pilotis.core.scope import scope_of
from pilotis.plans.enums import ActionStatus, AdoptingBody, Payer
from pilotis.referential.models import Indicator, ReferentialVersion
from pilotis.territories.models import Academy, School


class SuggestedActionQuerySet(models.QuerySet):
    def for_academy(self, academy_id):
        """The shipped suggestions and those the académie's DANE added."""
        return self.filter(Q(academy__isnull=True) | Q(academy_id=academy_id))

    def for_user(self, user):
        """Suggestions a user may read: the shipped ones and those of the académies of their
        territory and of their schools."""
        scope = scope_of(user)
        if scope.everything:
            return self
        schools = School.objects.filter(pk__in=scope.school_ids).values("department__academy_id")
        territory = Academy.objects.for_user(user).values("pk")
        return self.filter(Q(academy__isnull=True) | Q(academy_id__in=schools) | Q(academy_id__in=territory))


class SuggestedAction(models.Model):
    """One action the DANE suggests for an indicator, offered when a school builds its plan.
    `academy` empty: shipped with Pilotis (`data/suggestions.yaml`). Tied to the indicator's code,
    which outlives referential versions."""

    academy = models.ForeignKey(
        Academy, verbose_name=_("académie"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator_code = models.CharField(_("indicateur"), max_length=20, db_index=True)
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    means = models.TextField(_("moyens et ressources"), max_length=2000, blank=True)
    success_criteria = models.TextField(_("critères de réussite"), max_length=2000, blank=True)
    position = models.PositiveIntegerField(_("rang"), default=0)
    is_active = models.BooleanField(_("proposée aux établissements"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = SuggestedActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action suggérée")
        verbose_name_plural = _("catalogue des actions suggérées")
        ordering = ["indicator_code", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "position"],
                condition=Q(academy__isnull=True),
                name="suggestion_shipped_unique",
            )
        ]

    def __str__(self):
        return f"{self.indicator_code} — {self.title[:80]}"


class PlanQuerySet(models.QuerySet):
    def for_user(self, user):
        """The plans of the schools the user reads (`School.objects.for_user`)."""
        return self.filter(school__in=School.objects.for_user(user))

    def covering(self, school_year: str):
        """The plans whose years include this school year."""
        return self.filter(first_year__lte=school_year, last_year__gte=school_year)


class Plan(models.Model):
    """A school's action plan over one to three school years, built from one validated
    self-assessment (its campaign's referential is the plan's: its indicators are that version's).
    `revision` moves with every change of its content; the direction's adoptions are `PlanVersion`
    rows, so that a change after adoption is the next version in preparation, and the adopted
    ones stay readable."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    referential = models.ForeignKey(
        ReferentialVersion, verbose_name=_("référentiel"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campagne du diagnostic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("intitulé"), max_length=300, default=_("Plan d'actions numérique"))
    first_year = models.CharField(_("première année scolaire"), max_length=9)
    last_year = models.CharField(_("dernière année scolaire"), max_length=9)
    revision = models.PositiveIntegerField(default=0)
    # The revision the direction last adopted; differs from `revision` once the plan changed since.
    adopted_revision = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan d'actions")
        verbose_name_plural = _("plans d'actions")
        ordering = ["-first_year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "first_year"], name="plan_unique_start"),
            models.CheckConstraint(condition=Q(last_year__gte=F("first_year")), name="plan_years_order"),
        ]

    def __str__(self):
        return f"{self.title} {self.first_year}–{self.last_year} — {self.school.uai}"

    @property
    def is_adopted(self) -> bool:
        return self.adopted_revision is not None

    @property
    def changed_since_adoption(self) -> bool:
        return self.adopted_revision is not None and self.adopted_revision != self.revision


class PlanVersion(models.Model):
    """A version of the plan as the direction adopted it, with the instance that adopted it. The
    content is kept as it was (`snapshot`: objectives, targets and actions in plain values), so
    that a later change of the plan never rewrites what a council voted."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    plan_revision = models.PositiveIntegerField()
    body = models.CharField(_("instance"), max_length=24, choices=AdoptingBody.choices)
    adopted_on = models.DateField(_("date de l'instance"))
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    adopted_by_label = models.CharField(max_length=200)
    adopted_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("version adoptée du plan")
        verbose_name_plural = _("versions adoptées du plan")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self):
        return f"{self.plan} v{self.number}"


class Objective(models.Model):
    """An objective of the plan, tied to indicators with the status aimed at and by when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objectif"), max_length=300)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("objectif")
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.title


class ObjectiveTarget(models.Model):
    """One indicator an objective aims at: the status aimed at (« En cours », « Réalisé ») and the
    school year by which."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicateur"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("état visé"),
        max_length=12,
        choices=[
            (AnswerStatus.IN_PROGRESS, AnswerStatus.IN_PROGRESS.label),
            (AnswerStatus.DONE, AnswerStatus.DONE.label),
        ],
        default=AnswerStatus.DONE,
    )
    by_year = models.CharField(_("d'ici l'année scolaire"), max_length=9)

    class Meta:
        verbose_name = _("indicateur visé")
        verbose_name_plural = _("indicateurs visés")
        constraints = [models.UniqueConstraint(fields=["objective", "indicator"], name="objective_target_unique")]

    def __str__(self):
        return f"{self.indicator.code} → {self.get_status_display()} ({self.by_year})"


class ActionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The actions of the schools the user reads."""
        return self.filter(school__in=School.objects.for_user(user))

    def unfinished(self):
        return self.filter(status__in=ActionStatus.unfinished())

    def overdue(self, today=None):
        """Unfinished actions past their due date: the pages make them stand out."""
        today = today or timezone.localdate()
        return self.unfinished().filter(due_on__lt=today)


class Action(models.Model):
    """One action of the plan. Its status moves only through `services.change_status`, which writes
    the journal (`ActionEvent`); `revision` is the optimistic lock of its content (two people
    editing one action: the second is told, and loses nothing)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    # The plan's school, kept on the row: every scope and territorial count reads it.
    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    objective = models.ForeignKey(
        Objective, verbose_name=_("objectif"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicateurs servis"), blank=True, related_name="+")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The responsible person's name as shown (kept when the account changes), or a role written out
    # (« gestionnaire ») when nobody of the team is named.
    responsible_label = models.CharField(_("responsable (fonction)"), max_length=200, blank=True)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contributeurs"), blank=True, related_name="+"
    )
    contributors_text = models.CharField(_("autres contributeurs"), max_length=500, blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    means = models.TextField(_("moyens et ressources"), max_length=3000, blank=True)
    cost = models.DecimalField(_("coût estimé (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    payer = models.CharField(_("financement"), max_length=16, choices=Payer.choices, blank=True)
    success_criteria = models.TextField(_("critères de réussite"), max_length=3000, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.TODO)
    # The day it became « Réalisée » (the synthesis counts the actions done since a campaign).
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=0)
    suggestion = models.ForeignKey(SuggestedAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(starts_on__isnull=True) | Q(due_on__gte=F("starts_on")),
                name="action_dates_order",
            ),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0), name="action_cost_positive"),
        ]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in ActionStatus.unfinished() and self.due_on is not None and self.due_on < timezone.localdate()
        )


class ActionEvent(models.Model):
    """The action's journal: every status change, with who, when, before → after, and the note."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(max_length=200, blank=True)
    status_before = models.CharField(max_length=12, blank=True, choices=ActionStatus.choices)
    status_after = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("entrée du journal de l'action")
        verbose_name_plural = _("journal des actions")
        ordering = ["action", "at", "pk"]

    def __str__(self):
        before = self.get_status_before_display() if self.status_before else "—"
        return f"{self.at:%Y-%m-%d} {self.by_label} : {before} → {self.get_status_after_display()}"
