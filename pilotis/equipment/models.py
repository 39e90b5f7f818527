"""Besoins d'équipement: a school's needs, ranked by its direction and sent to the collectivité
that funds them (its Département for a collège, its Région for a lycée), with the dated events of
each need's life; and the address each collectivité receives the requests at."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.equipment.enums import CollectivityKind, Funder, NeedCategory, NeedState
from pilotis.territories.enums import SchoolKind
from pilotis.territories.models import Academy, Department, School


def default_funder(school) -> str:
    """A collège's equipment is its Département's, a lycée's (and an EREA's) its Région's; a
    school of another kind pays itself until told otherwise."""
    if school.kind == SchoolKind.COLLEGE:
        return Funder.DEPARTMENT
    if school.kind.startswith("lycee") or school.kind == SchoolKind.EREA:
        return Funder.REGION
    return Funder.SCHOOL


class NeedQuerySet(models.QuerySet):
    def for_territory(self, departments):
        """The needs of the open schools of these départements (a `Department` queryset)."""
        return self.filter(school__is_open=True, school__department__in=departments)


class Need(models.Model):
    """One need of the school: what, how many, where, why, which indicators it would let the
    school meet, what it costs and who pays. `rank` is the direction's order; `revision` the
    optimistic lock of its content."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("catégorie"), max_length=12, choices=NeedCategory.choices)
    object = models.CharField(_("objet"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantité"), validators=[MinValueValidator(1)])
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    why = models.TextField(_("justification"), max_length=3000, blank=True)
    # Codes of the school's referential version, checked by the services against it.
    indicator_codes = models.JSONField(_("indicateurs"), default=list, blank=True)
    estimated_cost = models.DecimalField(
        _("coût estimé (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    funder = models.CharField(_("financeur"), max_length=12, choices=Funder.choices)
    state = models.CharField(_("état"), max_length=12, choices=NeedState.choices, default=NeedState.IDENTIFIED)
    rank = models.PositiveIntegerField(_("rang"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin d'équipement")
        verbose_name_plural = _("besoins d'équipement")
        ordering = ["rank", "pk"]
        indexes = [models.Index(fields=["school", "state"], name="need_school_state_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="need_quantity_positive"),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="need_cost_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.object} ({self.quantity})"


class NeedEvent(models.Model):
    """A change of a need's state, dated, with its note and who made it."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("état précédent"), max_length=12, choices=NeedState.choices, blank=True)
    to_state = models.CharField(_("nouvel état"), max_length=12, choices=NeedState.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("étape d'un besoin")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_to_state_display()} — {self.at:%d/%m/%Y}"


class CollectivityQuerySet(models.QuerySet):
    def for_school(self, school, funder):
        """The collectivité that funds the school's needs of this funder: its Département's, or its
        académie's Région; none for the school itself or the State."""
        if funder == Funder.DEPARTMENT:
            return self.filter(kind=CollectivityKind.DEPARTMENT, department_id=school.department_id)
        if funder == Funder.REGION:
            return self.filter(kind=CollectivityKind.REGION, academy_id=school.department.academy_id)
        return self.none()


class Collectivity(models.Model):
    """Where a collectivité receives the schools' equipment requests: a Département (one per
    département) or the Région (one per académie), set by the DANE."""

    academy = models.ForeignKey(Academy, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("nature"), max_length=12, choices=CollectivityKind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("département"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse électronique"), blank=True)
    revision = models.PositiveIntegerField(default=0)

    objects = CollectivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["academy__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(kind="department"), name="collectivity_one_per_department"
            ),
            models.UniqueConstraint(fields=["academy"], condition=Q(kind="region"), name="collectivity_one_region"),
            models.CheckConstraint(
                condition=(Q(kind="department") & Q(department__isnull=False))
                | (Q(kind="region") & Q(department__isnull=True)),
                name="collectivity_department_iff_kind",
            ),
        ]

    def __str__(self):
        return self.name


class NeedTally(models.Model):
    """The territory's counters (`equipment.tallies`): the needs of a département's open schools
    of one category, funder and state, their quantity and cost (in cents, so that additions are
    exact on every database). Moved by the services in the transaction of each write; recounted
    when schools change département, close or reopen."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=12, choices=NeedCategory.choices)
    funder = models.CharField(max_length=12, choices=Funder.choices)
    state = models.CharField(max_length=12, choices=NeedState.choices)
    needs = models.IntegerField(default=0)
    quantity = models.BigIntegerField(default=0)
    cost_cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "category", "funder", "state"], name="need_tally_unique")
        ]

    def __str__(self):
        return f"{self.department_id} {self.category} {self.funder} {self.state}: {self.needs}"
