import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilotis.accounts.backends import account_of
from pilotis.accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from pilotis.accounts.models import SchoolMembership, TerritoryRole, roles_changed
from pilotis.core import audit
from pilotis.core.enums import AuditAction

logger = logging.getLogger("pilotis.security")


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The absolute session lifetime counts from here, the idle window too (SessionLifetimeMiddleware).
        now = int(time.time())
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now
    # How they signed in, when not with a password (accounts.proconnect sets it).
    detail = getattr(request, "sign_in_detail", None)
    audit.record(AuditAction.LOGIN, actor=user, obj=user, request=request, after=detail)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, actor=user, obj=user, request=request)


# A failed sign-in names the account when there is one; otherwise only that the login was
# unknown: what was typed (often a password in the wrong field, or someone's address) is not kept.
UNKNOWN_LOGIN = gettext_noop("identifiant inconnu")


def _record_sign_in_trouble(action, login, request) -> str:
    user = account_of(login)
    if user is None:
        audit.record(action, label=_(UNKNOWN_LOGIN), after={"login": None, "unknown": True}, request=request)
        return "an unknown login"
    audit.record(action, obj=user, label=user.get_username(), after={"login": user.get_username()}, request=request)
    return repr(user.get_username())


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    _record_sign_in_trouble(AuditAction.LOGIN_FAILED, (credentials or {}).get("username", ""), request)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    # `username` is axes_username's: an account's username, or a digest for an unknown login.
    who = _record_sign_in_trouble(AuditAction.LOCKED_OUT, username, request)
    logger.warning("sign-in locked out for %s from %s", who, ip_address)


@receiver([post_save, post_delete], sender=SchoolMembership)
@receiver([post_save, post_delete], sender=TerritoryRole)
def on_roles_changed(sender, instance, **kwargs):
    # In the writing transaction: the new stamp and the new role are committed together, so a
    # request that reads the new stamp also reads the new role.
    roles_changed([instance.user_id])
