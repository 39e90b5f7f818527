import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.core.enums import AuditAction, ExportState


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


class BackgroundExportQuerySet(models.QuerySet):
    def for_user(self, user):
        """A background export is its owner's alone: nobody else, not even a DANE, sees it."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def files_expired(self, now=None):
        """Those whose file is past its time and still stored."""
        return self.filter(expires_at__lt=now or timezone.now()).exclude(file_name="")

    def forgotten(self, now=None):
        """Rows kept a week past their file, so that a late click hears « expiré » rather than a
        bare « introuvable »; or never finished within a week (left queued with no worker)."""
        now = now or timezone.now()
        return self.filter(
            models.Q(expires_at__lt=now - KEPT_AFTER_EXPIRY)
            | models.Q(expires_at__isnull=True, created_at__lt=now - KEPT_AFTER_EXPIRY)
        )

    def lost(self, now=None):
        """Running for longer than any export takes: its worker was killed mid-way."""
        now = now or timezone.now()
        return self.filter(state=ExportState.RUNNING, started_at__lt=now - LOST_AFTER)


KEPT_AFTER_EXPIRY = timezone.timedelta(days=7)
# The national heat map takes well under a minute (benchmarks/README.md): an hour is a lost job.
LOST_AFTER = timezone.timedelta(hours=1)


class BackgroundExport(models.Model):
    """A long export asked by a click and prepared by the worker (`core.background_exports`).

    `params` only say which export to rebuild: the worker rebuilds it as `user`, within that user's
    scope of the moment, never trusting anything else. The file lives in the private storage
    `exports`, under `file_name`, until `expires_at` (24 hours after it is ready)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("nature"), max_length=40)
    label = models.CharField(_("intitulé"), max_length=300)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=[("csv", "CSV"), ("ods", "ODS")])
    state = models.CharField(_("état"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    rows_done = models.PositiveIntegerField(_("lignes écrites"), default=0)
    rows_total = models.PositiveIntegerField(_("lignes prévues"), null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=300, blank=True)
    file_name = models.CharField(_("fichier"), max_length=200, blank=True)
    download_name = models.CharField(_("nom du fichier téléchargé"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    source_url = models.CharField(_("page d'origine"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("disponible jusqu'au"), null=True, blank=True, db_index=True)

    objects = BackgroundExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export en arrière-plan")
        verbose_name_plural = _("exports en arrière-plan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return self.label

    @property
    def finished(self) -> bool:
        return self.state in (ExportState.DONE, ExportState.FAILED)

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)
