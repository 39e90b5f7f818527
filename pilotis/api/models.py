"""Personal access tokens to the API: shown once, stored as a digest, read-only, with an expiry."""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotis.api.enums import TokenScope


def digest(secret: str) -> str:
    """The stored form of a token: a SHA-256 digest. A token is 256 random bits, so a plain hash is
    enough (no salt, no slow hash: there is nothing to guess), and it lets the lookup be one
    indexed equality."""
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's own tokens: nobody else lists, sees or revokes them, not even the administrator."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def usable(self, now=None):
        """Not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("titulaire"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=100)
    # The token's first characters, shown in the list so that its holder recognises it.
    prefix = models.CharField(_("début du jeton"), max_length=16)
    hashed_secret = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("portée"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'accès à l'API")
        verbose_name_plural = _("jetons d'accès à l'API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def valid_until(self):
        """The last day it is valid (it expires at the start of the next one, local time)."""
        return timezone.localtime(self.expires_at - datetime.timedelta(microseconds=1)).date()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
