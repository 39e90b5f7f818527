"""The register of the digital services a school runs (ENT, Pix, its site, platforms…), with who administers each."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.core import formats
from pilotis.digital_services.enums import ServiceKind
from pilotis.territories.models import School


class DigitalService(models.Model):
    """One service the school runs. Its administrators at school are members of the school (checked by
    the services); someone outside (a provider) is a one-line label. `revision` is the optimistic
    lock of its content."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("nature"), max_length=12, choices=ServiceKind.choices)
    name = models.CharField(_("nom"), max_length=120)
    address = models.URLField(_("adresse"), max_length=500, blank=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("administré par"), blank=True, related_name="+"
    )
    outside_administrator = models.CharField(_("administré hors de l’établissement par"), max_length=120, blank=True)
    # In use since this day, or since this year when `since_year_only` (its 1st of January is stored).
    since = models.DateField(_("en service depuis"), null=True, blank=True)
    since_year_only = models.BooleanField(default=False)
    support_channel = models.CharField(_("assistance"), max_length=120, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("service numérique")
        verbose_name_plural = _("services numériques")
        ordering = ["school_id", "kind", "name", "pk"]
        indexes = [models.Index(fields=["school", "kind"], name="digital_service_school_idx")]

    def __str__(self):
        return self.name

    @property
    def since_label(self) -> str:
        if self.since is None:
            return ""
        if self.since_year_only:
            return str(self.since.year)
        return formats.day(self.since)

    @property
    def since_input(self) -> str:
        """What the form shows back: « 2019 » or « 15/09/2021 »."""
        if self.since is None:
            return ""
        return str(self.since.year) if self.since_year_only else self.since.strftime("%d/%m/%Y")
