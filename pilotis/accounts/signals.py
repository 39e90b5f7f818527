import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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
    audit.record(AuditAction.LOGIN, actor=user, obj=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, actor=user, obj=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    login = str((credentials or {}).get("username", ""))[:150]
    audit.record(AuditAction.LOGIN_FAILED, label=login, after={"login": login}, request=request)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning("sign-in locked out for %r from %s", username, ip_address)
    audit.record(AuditAction.LOCKED_OUT, label=str(username)[:150], after={"login": username}, request=request)


@receiver([post_save, post_delete], sender=SchoolMembership)
@receiver([post_save, post_delete], sender=TerritoryRole)
def on_roles_changed(sender, instance, **kwargs):
    # In the writing transaction: the new stamp and the new role are committed together, so a
    # request that reads the new stamp also reads the new role.
    roles_changed([instance.user_id])
