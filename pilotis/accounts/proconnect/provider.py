"""ProConnect's specifics, in one place: whether it is configured, its endpoints (its discovery
document, read at first use), the claims Pilotis asks for, and the settings mozilla-django-oidc
reads, derived from the PROCONNECT_* settings (config/settings.py)."""

import threading

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from mozilla_django_oidc.utils import import_from_settings

# Only what Pilotis needs: who the agent is, their e-mail, their name and their organisation.
SCOPES = "openid email given_name usual_name uid siret idp_id"
# ProConnect signs its ID tokens and its userinfo answers with RS256.
SIGN_ALGO = "RS256"
# Clocks of two servers differ a little; an expired token is refused past this margin.
LEEWAY_SECONDS = 10
# What the end of a ProConnect session needs in the session: the ID token (its `id_token_hint`).
ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 (a session key, not a secret)

# mozilla-django-oidc's endpoint settings -> the discovery document's keys.
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """ProConnect's discovery document could not be read (network, or not a discovery document)."""


def configured() -> bool:
    """ProConnect is offered when a client id and an issuer (or its discovery URL) are set."""
    return bool(settings.PROCONNECT_CLIENT_ID and settings.PROCONNECT_DISCOVERY_URL)


_documents: dict[str, dict] = {}
_lock = threading.Lock()


def discovery() -> dict:
    """The discovery document, read once per process (a failure is not kept: the next sign-in
    tries again), with a short timeout: a sign-in never waits long on an unreachable provider."""
    url = settings.PROCONNECT_DISCOVERY_URL
    if not url:
        raise ImproperlyConfigured("Set PROCONNECT_ISSUER or PROCONNECT_DISCOVERY_URL.")
    document = _documents.get(url)
    if document is not None:
        return document
    with _lock:
        try:
            response = requests.get(url, timeout=settings.PROCONNECT_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"discovery document unreadable: {exc}") from exc
        needed = {"issuer", *_ENDPOINTS.values()}
        if not isinstance(document, dict) or not needed <= document.keys():
            raise ProviderUnavailable("discovery document lacks " + ", ".join(sorted(needed - set(document or {}))))
        _documents[url] = document
    return document


def forget_discovery() -> None:
    """Read the discovery document again at next use (tests; a provider that moved its keys' URL)."""
    _documents.clear()


def issuer() -> str:
    return settings.PROCONNECT_ISSUER or discovery()["issuer"].rstrip("/")


def end_session_endpoint() -> str | None:
    return discovery().get("end_session_endpoint")


def acr_values() -> list[str]:
    return settings.PROCONNECT_ACR_VALUES.split()


def setting(name, *default):
    """What mozilla-django-oidc's `get_settings` answers for the views and backend of
    accounts.proconnect: endpoints from the discovery document, the rest from PROCONNECT_*."""
    if name in _ENDPOINTS:
        return discovery()[_ENDPOINTS[name]]
    derived = {
        "OIDC_RP_CLIENT_ID": settings.PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.PROCONNECT_CLIENT_SECRET,
        "OIDC_RP_SCOPES": SCOPES,
        "OIDC_RP_SIGN_ALGO": SIGN_ALGO,
        "OIDC_TIMEOUT": settings.PROCONNECT_TIMEOUT,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:proconnect_callback",
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"acr_values": " ".join(acr_values())} if acr_values() else {},
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": False,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_CREATE_USER": False,
        "OIDC_VERIFY_KID": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_REDIRECT_FIELD_NAME": "next",
    }
    if name in derived:
        return derived[name]
    return import_from_settings(name, *default)


def identity_of(claims: dict) -> dict:
    """The few claims Pilotis keeps or shows, as ProConnect names them (`usual_name` is the
    surname; `siret` the organisation's number)."""
    return {
        "sub": str(claims.get("sub") or ""),
        "idp_id": str(claims.get("idp_id") or ""),
        "email": str(claims.get("email") or "").strip().lower(),
        "given_name": str(claims.get("given_name") or "").strip(),
        "usual_name": str(claims.get("usual_name") or "").strip(),
        "siret": str(claims.get("siret") or "").strip(),
        "uid": str(claims.get("uid") or ""),
    }
