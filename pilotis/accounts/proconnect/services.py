"""The writes of a ProConnect sign-in, each in a transaction with its audit row: tying an identity
to an account, creating the role-less account of an allow-listed domain."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pilotis.accounts import services as account_services
from pilotis.accounts.models import ProConnectIdentity, User
from pilotis.accounts.proconnect.errors import AgentRefused
from pilotis.core import audit
from pilotis.core.enums import AuditAction


def domain_allowed(email: str) -> bool:
    """An address of a domain of PROCONNECT_ALLOWED_DOMAINS (exactly that domain: a subdomain is
    another organisation)."""
    domain = email.rpartition("@")[2].lower()
    return bool(domain) and domain in settings.PROCONNECT_ALLOWED_DOMAINS


@transaction.atomic
def link_identity(user, identity: dict, *, request=None) -> User:
    """Ties the identity (idp_id, sub) to the account it signs in with, or refreshes it; fills the
    names an invitation left blank. An account already tied to another subject of the same
    provider is refused: that provider says it is someone else with the same address."""
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    link = ProConnectIdentity.objects.filter(idp_id=identity["idp_id"], sub=identity["sub"]).first()
    if link is None:
        if ProConnectIdentity.objects.filter(user=user, idp_id=identity["idp_id"]).exists():
            raise AgentRefused("identity_conflict", identity, user)
        link = ProConnectIdentity(user=user, idp_id=identity["idp_id"], sub=identity["sub"], created_at=now)
    link.email, link.siret, link.last_login_at = identity["email"], identity["siret"][:14], now
    link.save()
    changed = []
    if not user.first_name and identity["given_name"]:
        user.first_name = identity["given_name"][:150]
        changed.append("first_name")
    if not user.last_name and identity["usual_name"]:
        user.last_name = identity["usual_name"][:150]
        changed.append("last_name")
    if changed:
        user.save(update_fields=changed)
    return user


@transaction.atomic
def create_agent_account(identity: dict, *, request=None) -> User:
    """The role-less account of an agent of an allow-listed domain, tied to their identity: they
    see « no role yet » until someone gives them one."""
    user, _created = account_services.get_or_invite_user(
        email=identity["email"], first_name=identity["given_name"][:150], last_name=identity["usual_name"][:150]
    )
    audit.record(
        AuditAction.PROCONNECT_ACCOUNT_CREATED,
        actor=user,
        obj=user,
        request=request,
        after={"email": identity["email"], "idp_id": identity["idp_id"], "siret": identity["siret"]},
    )
    return link_identity(user, identity, request=request)
