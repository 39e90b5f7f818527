"""The workshops and trainings the RUPN runs in the school (« Ateliers et formations »)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.territories.models import School
from pilotis.workshops.enums import SessionKind


class Workshop(models.Model):
    """One session: when, what, for whom, who came (members ticked, or a number). `revision` is the
    optimistic lock of its content."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    school_year = models.CharField(_("année scolaire"), max_length=9)
    kind = models.CharField(_("nature"), max_length=12, choices=SessionKind.choices, default=SessionKind.WORKSHOP)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("heure de début"), null=True, blank=True)
    title = models.CharField(_("intitulé"), max_length=200)
    # A code of `themes.yaml`; `theme_other` holds the words typed for « autre ».
    theme = models.CharField(_("thème"), max_length=60)
    theme_other = models.CharField(_("autre thème"), max_length=120, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    tools = models.CharField(_("outils et services"), max_length=500, blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    # A list of `Audience` codes, checked by the form and the services.
    audiences = models.JSONField(_("public"), default=list)
    # Those who are not members of the school (pupils, parents…), counted rather than named.
    participant_count = models.PositiveIntegerField(_("nombre de participants"), null=True, blank=True)
    materials = models.TextField(_("supports"), max_length=3000, blank=True)
    # Set by the theme that presents the catalogue, or ticked for a session of another theme
    # that also presents it: PIL.1.06's note reads this column alone.
    presents_catalogue = models.BooleanField(_("présente le catalogue des fiches d'usage"), default=False)
    # When the attendance was last marked (after the session); empty: not marked yet.
    attendance_marked_at = models.DateTimeField(_("présences relevées le"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("atelier ou formation")
        verbose_name_plural = _("ateliers et formations")
        ordering = ["-held_on", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["school", "school_year", "held_on"], name="workshop_school_year_idx")]

    def __str__(self):
        return f"{self.held_on:%d/%m/%Y} — {self.title}"


class Participant(models.Model):
    """A member of the school expected at a session (on the attendance sheet); `present` once it
    was held."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("présent"), default=False)

    class Meta:
        verbose_name = _("participant")
        constraints = [models.UniqueConstraint(fields=["workshop", "user"], name="workshop_participant_unique")]

    def __str__(self):
        return str(self.user)
