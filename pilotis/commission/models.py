"""The school's commission numérique: its members (with an account or without), its meetings, their
agenda, attendance, minutes and decisions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.commission.enums import MeetingState, MemberGroup, Presence
from pilotis.plans.models import Action
from pilotis.referential.models import Indicator
from pilotis.territories.models import School


class CommissionMemberQuerySet(models.QuerySet):
    def active_on(self, day):
        """The members sitting on that day."""
        return self.filter(Q(to_date__isnull=True) | Q(to_date__gte=day), from_date__lte=day)


class CommissionMember(models.Model):
    """A member of the commission: a person of the school with an account (`user`), or someone
    without one (a parent, a pupil, the collectivité, the DANE's adviser), named and, if they
    wish, reachable by e-mail."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse électronique"), blank=True)
    group = models.CharField(_("collège"), max_length=16, choices=MemberGroup.choices)
    from_date = models.DateField(_("membre depuis le"))
    to_date = models.DateField(_("jusqu'au"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommissionMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre de la commission numérique")
        verbose_name_plural = _("membres de la commission numérique")
        ordering = ["school", "group", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")), name="commission_member_period"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_group_display()})"


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        """The meetings of the schools the user reads."""
        return self.filter(school__in=School.objects.for_user(user))


class Meeting(models.Model):
    """A meeting of the commission. Once « Compte rendu validé » its minutes, attendance and
    decisions are locked: only reopening them (the direction, audited) lets them change."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("date et heure"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    visio_url = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    state = models.CharField(_("état"), max_length=12, choices=MeetingState.choices, default=MeetingState.PLANNED)
    minutes = models.TextField(_("compte rendu"), max_length=20000, blank=True)
    revision = models.PositiveIntegerField(default=0)
    # The convocation's invitation (.ics): its UID is stable, its SEQUENCE moves with each sending.
    convened_at = models.DateTimeField(null=True, blank=True)
    convocation_sequence = models.PositiveIntegerField(default=0)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    validated_by_label = models.CharField(max_length=200, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réunion de la commission numérique")
        verbose_name_plural = _("réunions de la commission numérique")
        ordering = ["school", "-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")), name="meeting_period"
            )
        ]
        indexes = [models.Index(fields=["school", "starts_at"])]

    def __str__(self):
        return f"{self.school.uai} — {self.starts_at:%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.state == MeetingState.VALIDATED


class AgendaItem(models.Model):
    """An item of the meeting's agenda; it may point to indicators and to actions of the school."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("point de l'ordre du jour"), max_length=300)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicateurs"), blank=True, related_name="+")
    actions = models.ManyToManyField(Action, verbose_name=_("actions"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="attendances")
    presence = models.CharField(_("présence"), max_length=8, choices=Presence.choices)

    class Meta:
        verbose_name = _("présence")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")]

    def __str__(self):
        return f"{self.member} — {self.get_presence_display()}"


class Decision(models.Model):
    """A decision of the meeting; « en faire une action » creates the plan's action and keeps it here."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("décision"), max_length=3000)
    action = models.ForeignKey(
        Action, verbose_name=_("action du plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("décision")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.text[:80]
