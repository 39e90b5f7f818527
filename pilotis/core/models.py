from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.core.enums import AuditAction


class AuditEventQuerySet(models.QuerySet):
    def older_than_retention(self, now=None):
        now = now or timezone.now()
        return self.filter(created_at__lt=now - timezone.timedelta(days=settings.AUDIT_RETENTION_DAYS))


class AuditEvent(models.Model):
    """Who did what to which object, from what to what. Append-only; purged after retention."""

    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept apart from the foreign key so the record survives the user's anonymisation.
    actor_label = models.CharField(_("auteur (libellé)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("type d'objet"), max_length=80, blank=True)
    object_id = models.CharField(_("identifiant d'objet"), max_length=80, blank=True)
    object_label = models.CharField(_("objet"), max_length=300, blank=True)
    before = models.JSONField(_("avant"), null=True, blank=True)
    after = models.JSONField(_("après"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    request_id = models.CharField(_("identifiant de requête"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class Mailing(models.Model):
    """One e-mail to many, written when a person clicks, sent by the worker (`core.outbox`).

    The text is stored once here; each recipient is a `Delivery` row, marked sent in the same
    transaction as its sending, so that a worker killed mid-way starts again where it stopped."""

    kind = models.CharField(_("nature"), max_length=40)
    label = models.CharField(_("objet"), max_length=300)
    subject = models.CharField(_("sujet"), max_length=300)
    body = models.TextField(_("texte"))
    html = models.TextField(_("texte mis en forme"), blank=True)
    reply_to = models.EmailField(_("répondre à"), blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    total = models.PositiveIntegerField(_("destinataires"), default=0)
    attempts = models.PositiveSmallIntegerField(_("tentatives en échec"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    retry_at = models.DateTimeField(_("nouvel essai le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi de courriels")
        verbose_name_plural = _("envois de courriels")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.label


class MailingAttachment(models.Model):
    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self):
        return self.filename


class Delivery(models.Model):
    """One recipient of a mailing. `message_id` is fixed when the row is written: a message sent
    again after a crash between the server's acceptance and the commit carries the same one."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    to = models.EmailField(_("destinataire"))
    message_id = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    refused = models.CharField(_("refusé"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("destinataire d'un envoi")
        verbose_name_plural = _("destinataires d'un envoi")
        indexes = [models.Index(fields=["mailing", "sent_at"])]

    def __str__(self):
        return self.to
