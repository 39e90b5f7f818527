"""The territory team's record of how it accompanies each school (« Suivi de l'accompagnement »)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.accompaniment.enums import ContactKind
from pilotis.plans.models import Action
from pilotis.territories.models import Department, School


class EntryQuerySet(models.QuerySet):
    def for_user(self, user):
        """The entries of the schools of the départements the user follows (the territory team's
        own record). The school's direction and RUPN read only the entries shared with them, which
        `shared_with` gives."""
        return self.filter(school__department__in=Department.objects.for_user(user))

    def shared_with(self, school):
        return self.filter(school=school, shared_with_school=True)


class AccompanimentEntry(models.Model):
    """One contact of the DANE or a correspondent with a school: when, how, who, what was said, the
    next steps and their date, the school's actions it concerns."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("nature"), max_length=10, choices=ContactKind.choices)
    participants = models.CharField(_("participants"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    next_steps = models.TextField(_("prochaines étapes"), max_length=3000, blank=True)
    next_step_on = models.DateField(_("date de la prochaine étape"), null=True, blank=True)
    actions = models.ManyToManyField(Action, verbose_name=_("actions concernées"), blank=True, related_name="+")
    shared_with_school = models.BooleanField(_("partagé avec l'établissement"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_label = models.CharField(max_length=200, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du suivi de l'accompagnement")
        verbose_name_plural = _("suivi de l'accompagnement")
        ordering = ["school", "-happened_on", "-pk"]
        indexes = [models.Index(fields=["school", "happened_on"]), models.Index(fields=["next_step_on"])]

    def __str__(self):
        return f"{self.school.uai} — {self.happened_on} — {self.get_kind_display()}"
