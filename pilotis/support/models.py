"""Demandes d'assistance: the académie's channels and routing table, a school's requests, their
history and their files.

A GLPI channel names its credentials (`glpi_credentials`, a key of settings `SUPPORT_GLPI`); the
tokens themselves never enter the database."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.plans.models import Action
from pilotis.support.enums import ChannelWay, RequestCategory, RequestState, Urgency
from pilotis.territories.enums import SchoolKind
from pilotis.territories.models import Academy, Department, School


class Channel(models.Model):
    """Where an académie's requests go: an e-mail address, a GLPI, or a portal the school uses."""

    academy = models.ForeignKey(Academy, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nom"), max_length=120)
    way = models.CharField(_("voie"), max_length=10, choices=ChannelWay.choices)
    email = models.EmailField(_("adresse électronique"), blank=True)
    glpi_url = models.URLField(_("adresse de l'API GLPI (apirest.php)"), max_length=300, blank=True)
    # A key of settings.SUPPORT_GLPI, never a token.
    glpi_credentials = models.CharField(_("nom des identifiants GLPI"), max_length=40, blank=True)
    # RequestCategory code -> GLPI itilcategories_id.
    glpi_categories = models.JSONField(_("catégories GLPI"), default=dict, blank=True)
    portal_url = models.URLField(_("adresse du portail"), max_length=300, blank=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("canal d'assistance")
        verbose_name_plural = _("canaux d'assistance")
        ordering = ["academy", "name"]
        constraints = [models.UniqueConstraint(fields=["academy", "name"], name="support_channel_name_unique")]

    def __str__(self):
        return self.name


class Route(models.Model):
    """One row of the académie's routing table: (département or all) × (school type or all) ×
    category → channel. The most precise row wins (`routing.propose`)."""

    academy = models.ForeignKey(Academy, verbose_name=_("académie"), on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("département"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school_kind = models.CharField(_("type d'établissement"), max_length=20, choices=SchoolKind.choices, blank=True)
    category = models.CharField(_("catégorie"), max_length=20, choices=RequestCategory.choices)
    channel = models.ForeignKey(Channel, verbose_name=_("canal"), on_delete=models.PROTECT, related_name="routes")

    class Meta:
        verbose_name = _("route d'assistance")
        verbose_name_plural = _("routes d'assistance")
        ordering = ["academy", "category", "department__code", "school_kind", "pk"]

    def __str__(self):
        return f"{self.get_category_display()} → {self.channel}"


class SupportRequest(models.Model):
    """A school's request for help, written as a draft, then sent by the worker through its
    channel. `revision` is the optimistic lock of its content."""

    school = models.ForeignKey(School, verbose_name=_("établissement"), on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandeur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("objet"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    category = models.CharField(_("catégorie"), max_length=20, choices=RequestCategory.choices)
    urgency = models.CharField(_("urgence"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    equipment = models.CharField(_("équipement concerné"), max_length=200, blank=True)
    action = models.ForeignKey(
        Action, verbose_name=_("action du plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    indicator_code = models.CharField(_("indicateur"), max_length=20, blank=True)
    channel = models.ForeignKey(
        Channel, verbose_name=_("canal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("état"), max_length=10, choices=RequestState.choices, default=RequestState.DRAFT)
    # Asked to send, waiting for the worker (cleared once it has tried).
    queued_at = models.DateTimeField(_("envoi demandé le"), null=True, blank=True)
    reference = models.CharField(_("référence du canal"), max_length=100, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_try_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demande d'assistance")
        verbose_name_plural = _("demandes d'assistance")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "state"], name="support_request_school_idx")]

    def __str__(self):
        return self.subject

    @property
    def editable(self) -> bool:
        return self.state in RequestState.editable()

    @property
    def urgency_glpi(self) -> int:
        return Urgency(self.urgency).glpi


class SupportEvent(models.Model):
    """A dated change of state, with its reason (the channel's words, a failure's)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    state = models.CharField(_("état"), max_length=10, choices=RequestState.choices)
    reason = models.CharField(_("motif"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("événement d'une demande d'assistance")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_state_display()}"


class SupportAttachment(models.Model):
    """A file joined to a request, checked as evidence is, in `STORAGES["evidence"]`."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("nom"), max_length=160)
    stored_name = models.CharField(max_length=300, editable=False)
    size = models.PositiveBigIntegerField(_("taille"))
    file_type = models.CharField(_("type"), max_length=10)
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe d'une demande d'assistance")
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.name
