"""The school's flash'infos: its issues, its settings (rhythm) and the addresses of its list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.newsletters.enums import NewsletterState, Rhythm
from pilotis.territories.models import School


class NewsletterQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=NewsletterState.PUBLISHED)

    def unpublished(self):
        return self.filter(state__in=NewsletterState.unpublished())


class Newsletter(models.Model):
    """One issue of the school's flash'infos. Drafted by Pilotis from what happened in its period,
    edited by the RUPN or the direction, optionally proof-read by the direction, then published:
    a number (consecutive per school), a page, a PDF and one e-mail to the school's members and
    list. `revision` is the optimistic lock of its text."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    # Given at publication only, so that the published issues are numbered without gaps.
    number = models.PositiveIntegerField(_("numéro"), null=True, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), max_length=50000, blank=True)
    state = models.CharField(_("état"), max_length=12, choices=NewsletterState.choices, default=NewsletterState.DRAFT)
    # The period it tells: from the previous issue's publication (or the school year's start) to
    # the moment it was drafted, then its publication.
    period_start = models.DateTimeField(_("depuis le"))
    period_end = models.DateTimeField(_("jusqu'au"))
    review_asked_at = models.DateTimeField(_("relecture demandée le"), null=True, blank=True)
    proofread_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proofread_by_label = models.CharField(_("relu par"), max_length=200, blank=True)
    proofread_at = models.DateTimeField(_("relu le"), null=True, blank=True)
    proofread_comment = models.TextField(_("commentaire de relecture"), max_length=2000, blank=True)
    # The revision the direction read: a later change of the text makes the proof-reading stale.
    proofread_revision = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by_label = models.CharField(_("publié par"), max_length=200, blank=True)
    mailing = models.ForeignKey("core.Mailing", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        verbose_name = _("flash'infos")
        verbose_name_plural = _("flash'infos")
        ordering = ["school", "-number", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="newsletter_number_unique"),
            models.CheckConstraint(
                condition=Q(state="published", number__isnull=False, published_at__isnull=False)
                | (~Q(state="published") & Q(number__isnull=True)),
                name="newsletter_number_when_published",
            ),
        ]
        indexes = [models.Index(fields=["school", "state", "published_at"], name="newsletter_school_state_idx")]

    def __str__(self):
        if self.number:
            return f"Flash'infos n° {self.number} — {self.school.uai}"
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_published(self) -> bool:
        return self.state == NewsletterState.PUBLISHED

    @property
    def is_proofread(self) -> bool:
        """The direction proof-read the text as it stands."""
        return self.proofread_at is not None and self.proofread_revision == self.revision


class NewsletterSettings(models.Model):
    """The school's choices: how often an issue is expected (the reminders follow it)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    rhythm = models.CharField(_("rythme"), max_length=12, choices=Rhythm.choices, default=Rhythm.TERM)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réglages du flash'infos")
        verbose_name_plural = _("réglages du flash'infos")

    def __str__(self):
        return f"{self.school.uai} — {self.get_rhythm_display()}"


class ListAddress(models.Model):
    """An address the school keeps on its list (parents' association, CDI…): it receives every
    issue beside the school's members."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("adresse électronique"))
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("adresse de la liste de diffusion")
        verbose_name_plural = _("adresses de la liste de diffusion")
        ordering = ["school", "label", "email", "pk"]
        constraints = [models.UniqueConstraint(fields=["school", "email"], name="newsletter_list_address_unique")]

    def __str__(self):
        return f"{self.label} <{self.email}>" if self.label else self.email


class Reminder(models.Model):
    """A reminder sent to the school's RUPN for one due date: never twice for the same one."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("attendu le"))
    sent_at = models.DateTimeField(default=timezone.now)
    mailing = models.ForeignKey("core.Mailing", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rappel de flash'infos")
        constraints = [models.UniqueConstraint(fields=["school", "due_on"], name="newsletter_reminder_once")]

    def __str__(self):
        return f"{self.school.uai} — {self.due_on}"
