"""Writes about access tokens: each in a transaction, with its audit row."""

import datetime
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.api.models import AccessToken, digest
from pilotis.core import audit
from pilotis.core.enums import AuditAction

# The tokens' visible mark: a leaked one is recognisable (in a log, a repository) as Pilotis's.
TOKEN_MARK = "pilotis_"  # noqa: S105  (a visible prefix, not a secret)
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
# A refused token leaves one audit row per token (or per address, for an unknown token) in this
# window, however many times it is tried: a forgotten script retrying every second must not fill
# the journal. The throttle still counts every try.
REFUSAL_AUDIT_SECONDS = 3600
# `last_used_at` is written at most once in this window: a busy script costs no write per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def expiry_of(expires_on: datetime.date) -> datetime.datetime:
    """A token is valid until the end of the day it is said to expire on (local time)."""
    next_day = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day)


def check_expiry(expires_on: datetime.date, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if expires_on < today:
        raise ValidationError(_("La date d’expiration est passée."))
    if expires_on > today + datetime.timedelta(days=MAX_LIFETIME_DAYS):
        raise ValidationError(_("Un jeton vaut un an au plus : choisissez une date plus proche."))


@transaction.atomic
def create_token(user, *, name: str, expires_on: datetime.date, request=None) -> tuple[AccessToken, str]:
    """A new read-only token for `user`. Returns the token and its secret, which is never stored
    nor shown again."""
    if not user.is_active:
        raise ValidationError(_("Ce compte est désactivé."))
    check_expiry(expires_on)
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_MARK) + 6],
        hashed_secret=digest(secret),
        expires_at=expiry_of(expires_on),
    )
    audit.record(
        AuditAction.API_TOKEN_CREATED,
        actor=user,
        obj=token,
        after={"name": name, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
        request=request,
    )
    return token, secret


@transaction.atomic
def revoke_token(token: AccessToken, *, by, request=None) -> None:
    """Revoke one of one's own tokens; it is refused from the next request on."""
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != by.pk:
        raise ValidationError(_("Ce jeton n’est pas le vôtre."))
    if token.revoked_at is not None:
        raise ValidationError(_("Ce jeton est déjà révoqué."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(AuditAction.API_TOKEN_REVOKED, actor=by, obj=token, after={"prefix": token.prefix}, request=request)


def find_token(secret: str) -> AccessToken | None:
    """The token whose secret this is, whatever its state, or None."""
    return AccessToken.objects.select_related("user").filter(hashed_secret=digest(secret)).first()


def refusal_reason(token: AccessToken | None) -> str:
    """Why a presented token is refused, or "" when it is good."""
    if token is None:
        return "unknown"
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= timezone.now():
        return "expired"
    if not token.user.is_active:
        return "user_inactive"
    return ""


def record_refusal(request, *, reason: str, token: AccessToken | None = None) -> bool:
    """Journal a refused token, at most once per token (or per address) and window. Never the
    secret: a known token is named by its prefix. Says whether a row was written."""
    key_part = token.hashed_secret[:32] if token is not None else (audit.client_ip(request) or "unknown")
    if not cache.add(f"pilotis:api:refused:{key_part}:{reason}", 1, REFUSAL_AUDIT_SECONDS):
        return False
    audit.record(
        AuditAction.API_TOKEN_REFUSED,
        actor=token.user if token is not None else None,
        obj=token,
        after={"reason": reason, "path": request.path[:200], **({"prefix": token.prefix} if token else {})},
        request=request,
        label=_("jeton inconnu"),
    )
    return True


def touch(token: AccessToken) -> None:
    """Note the token's use, at most once per `LAST_USED_PRECISION`."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
