"""The RUPN's mission: designations per school year, the catalogue of missions, the lettres de mission."""

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.core.scope import scope_of
from pilotis.missions.enums import LetterState, MissionHeading, MissionPriority, RupnFunction
from pilotis.referential.models import Indicator
from pilotis.territories.models import Academy, School


def heading_rank():
    """The headings in the seed's order (their codes sort otherwise): for the catalogue and the letters."""
    return Case(
        *(When(heading=heading, then=Value(rank)) for rank, heading in enumerate(MissionHeading.values)),
        output_field=IntegerField(),
    )


class Designation(models.Model):
    """The chef d'établissement designates a RUPN for one school year, with an IMP and a period."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("RUPN"), on_delete=models.PROTECT, related_name="designations"
    )
    # A snapshot of the name: the history of a school's RUPN outlives their account's changes.
    user_label = models.CharField(max_length=200)
    school_year = models.CharField(_("année scolaire"), max_length=9)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    ended_early = models.BooleanField(_("terminée en cours d'année"), default=False)
    imp_amount = models.DecimalField(_("IMP annuelle (€)"), max_digits=7, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("désignation de RUPN")
        verbose_name_plural = _("désignations de RUPN")
        ordering = ["-school_year", "starts_on", "user_label"]
        constraints = [
            models.UniqueConstraint(fields=["school", "user", "school_year"], name="designation_unique_year"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="designation_period"),
            models.CheckConstraint(condition=Q(imp_amount__gte=0), name="designation_imp_positive"),
        ]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self):
        return f"{self.user_label} — {self.school_year} — {self.school.uai}"


class CatalogueEntryQuerySet(models.QuerySet):
    def for_academy(self, academy_id):
        """The shipped entries and those the académie's DANE added."""
        return self.filter(Q(academy__isnull=True) | Q(academy_id=academy_id))

    def for_user(self, user):
        """Entries a user may read: the shipped ones and those of the académies they belong to (their
        territory's, `Academy.objects.for_user`, and their schools')."""
        scope = scope_of(user)
        if scope.everything:
            return self
        schools = set(School.objects.filter(pk__in=scope.school_ids).values_list("department__academy_id", flat=True))
        territory = Academy.objects.for_user(user).values("pk")
        return self.filter(Q(academy__isnull=True) | Q(academy_id__in=schools) | Q(academy_id__in=territory))


class CatalogueEntry(models.Model):
    """One mission a chef may put in a letter. `academy` empty: shipped with Pilotis."""

    academy = models.ForeignKey(
        Academy, verbose_name=_("académie"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    heading = models.CharField(_("rubrique"), max_length=20, choices=MissionHeading.choices)
    function = models.CharField(_("fonction du RUPN"), max_length=20, choices=RupnFunction.choices)
    text = models.CharField(_("mission"), max_length=500)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("proposée dans les lettres"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission du catalogue")
        verbose_name_plural = _("catalogue des missions")
        ordering = [heading_rank(), "position", "pk"]

    def __str__(self):
        return self.text[:80]


class MissionLetter(models.Model):
    """The chef's lettre de mission to one designated RUPN, from draft to signature."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    designation = models.ForeignKey(Designation, on_delete=models.PROTECT, related_name="letters")
    state = models.CharField(_("état"), max_length=12, choices=LetterState.choices, default=LetterState.DRAFT)
    # Optimistic lock: every write of the content checks and bumps it (a stale page is refused).
    revision = models.PositiveIntegerField(default=0)

    means_time = models.CharField(_("temps dégagé"), max_length=300, blank=True)
    means_equipment = models.TextField(_("équipement mis à disposition"), max_length=2000, blank=True)
    means_room = models.CharField(_("salle ou espace"), max_length=300, blank=True)
    training = models.TextField(_("formations que suivra le RUPN"), max_length=2000, blank=True)
    pedagogical_council = models.BooleanField(_("membre du conseil pédagogique"), default=True)
    digital_commission = models.BooleanField(_("membre de la commission numérique"), default=True)
    free_text = models.TextField(_("texte libre"), max_length=5000, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("indicateurs suivis"))
    # The IMP and the period as the letter states them: copied from the designation while the letter is
    # open, kept once signed. Null period: a row written in bulk without it (`period` falls back).
    imp_amount = models.DecimalField(_("IMP annuelle (€)"), max_digits=7, decimal_places=2)
    starts_on = models.DateField(_("début de la mission"), null=True, blank=True)
    ends_on = models.DateField(_("fin de la mission"), null=True, blank=True)
    # Set when the designation's IMP or period changed under a proposed or accepted letter, which went
    # back to draft: the page says why it must be proposed and accepted again.
    designation_changed_at = models.DateTimeField(null=True, blank=True)

    proposed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    returned_comment = models.TextField(_("motif du renvoi"), max_length=2000, blank=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_by_label = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_by_label = models.CharField(max_length=200, blank=True)
    presented_pedagogical_council_on = models.DateField(_("présentée au conseil pédagogique le"), null=True, blank=True)
    presented_board_on = models.DateField(_("présentée au conseil d'administration le"), null=True, blank=True)

    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by_letters"
    )
    started_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lettre de mission")
        verbose_name_plural = _("lettres de mission")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one letter under way per designation (open states), whatever two tabs do.
            models.UniqueConstraint(
                fields=["designation"],
                condition=Q(state__in=["brouillon", "proposee", "renvoyee", "acceptee"]),
                name="letter_one_open_per_designation",
            ),
        ]

    def __str__(self):
        return f"{_('Lettre de mission')} {self.designation.school_year} — {self.designation.user_label}"

    @property
    def school_year(self) -> str:
        return self.designation.school_year

    @property
    def period(self) -> tuple:
        """(first day, last day) as the letter states them."""
        return (self.starts_on or self.designation.starts_on, self.ends_on or self.designation.ends_on)

    @property
    def is_editable(self) -> bool:
        return self.state in LetterState.editable()

    @property
    def is_final(self) -> bool:
        return self.state in LetterState.final()


class LetterMission(models.Model):
    """A mission as the letter states it: a copy of the catalogue's text, so the letter never changes behind
    the signatures when the catalogue does."""

    letter = models.ForeignKey(MissionLetter, on_delete=models.CASCADE, related_name="missions")
    entry = models.ForeignKey(CatalogueEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    heading = models.CharField(_("rubrique"), max_length=20, choices=MissionHeading.choices)
    function = models.CharField(_("fonction du RUPN"), max_length=20, choices=RupnFunction.choices)
    text = models.CharField(_("mission"), max_length=500)
    priority = models.CharField(_("priorité"), max_length=12, choices=MissionPriority.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = [heading_rank(), "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["letter", "entry"], name="letter_mission_unique_entry")]

    def __str__(self):
        return self.text[:80]
