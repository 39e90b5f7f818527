"""ProConnect's two pages (mounted under compte/proconnect/, accounts/urls.py): the start of a
sign-in, which sends the browser to ProConnect, and its return (the OIDC callback). Both answer
404 when ProConnect is not configured (guard `proconnect:sign_in`). Every refused return is written to the audit journal with
its reason and counted by django-axes as a failed sign-in from this address."""

import re
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from pilotis.accounts.proconnect import provider
from pilotis.accounts.proconnect.backend import ProConnectBackend
from pilotis.accounts.proconnect.errors import AgentRefused, SignInFailed
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.core.guards import guarded

BACKEND = "pilotis.accounts.proconnect.ProConnectBackend"
# The name django-axes counts ProConnect's failures under: not a username anyone can have (a colon),
# so that the failures of one address lock ProConnect sign-ins from that address, and nothing else.
AXES_LOGIN = "proconnect:"
AXES_CREDENTIALS = {"username": AXES_LOGIN}
STATES_SESSION_KEY = "oidc_states"  # mozilla-django-oidc's: state -> {nonce, code_verifier}
NEXT_SESSION_KEY = "oidc_login_next"


class _AuthenticationRequest(OIDCAuthenticationRequestView):
    get_settings = staticmethod(provider.setting)

    def __init__(self, **kwargs):
        # The endpoint is read at first use (the discovery document), not when the view is built.
        View.__init__(self, **kwargs)

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):
        return provider.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):
        return settings.PROCONNECT_CLIENT_ID


_authentication_request = _AuthenticationRequest.as_view()


def offered(user) -> bool:
    """ProConnect is configured: then anyone may use its pages, signed in or not; otherwise they
    do not exist (404)."""
    return provider.configured()


def _locked_out(request) -> bool:
    return not AxesProxyHandler.is_allowed(request, AXES_CREDENTIALS)


def _lockout_page(request):
    return render(request, "accounts/locked_out.html", status=429)


def _failure_page(request, *, status=400):
    return render(request, "accounts/proconnect_failed.html", {"unavailable": status == 503}, status=status)


def _count_failure(request) -> None:
    # Past the limit, django-axes marks the request and its middleware answers the lockout page.
    AxesProxyHandler.user_login_failed(sender=callback, credentials=AXES_CREDENTIALS, request=request)


@login_not_required
@require_GET
@guarded("proconnect:sign_in", offered)
def start(request):
    """« S'identifier avec ProConnect »: a state and a nonce kept in the session, then ProConnect."""
    if _locked_out(request):
        return _lockout_page(request)
    try:
        return _authentication_request(request)
    except provider.ProviderUnavailable as exc:
        _record_failure(request, "provider_unreachable", str(exc)[:200])
        return _failure_page(request, status=503)


@login_not_required
@require_GET
@guarded("proconnect:sign_in", offered)
def callback(request):
    """ProConnect's answer. Anything malformed, replayed, expired or not meant for us is refused
    with one page that says only that the sign-in failed; a true agent whom Pilotis does not admit
    is told why, with the e-mail and the organisation ProConnect gave."""
    if _locked_out(request):
        return _lockout_page(request)
    backend = ProConnectBackend()
    try:
        entry = _take_state(request)
        user, id_token = backend.sign_in(request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier"))
    except SignInFailed as exc:
        _record_failure(request, exc.reason, exc.detail)
        if exc.reason == "provider_unreachable":
            return _failure_page(request, status=503)
        _count_failure(request)
        return _failure_page(request)
    except provider.ProviderUnavailable as exc:
        _record_failure(request, "provider_unreachable", str(exc)[:200])
        return _failure_page(request, status=503)
    except AgentRefused as exc:
        _record_refusal(request, exc)
        _count_failure(request)
        return render(
            request,
            "accounts/proconnect_refused.html",
            {"reason": exc.reason, "identity": exc.identity},
            status=403,
        )
    return _signed_in(request, user, id_token, backend.identity)


def _take_state(request) -> dict:
    """The state this browser sent ProConnect with, taken out of the session (a state serves once:
    a replayed answer finds none)."""
    states = request.session.get(STATES_SESSION_KEY)
    states = states if isinstance(states, dict) else {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if state else None
    if entry is not None:
        request.session[STATES_SESSION_KEY] = states
    if request.GET.get("error"):
        # The agent cancelled, or ProConnect refused the request: its error code, never its text.
        raise SignInFailed("provider_error", re.sub(r"[^a-z_]", "", request.GET["error"])[:60])
    if not request.GET.get("code") or not state:
        raise SignInFailed("answer_malformed", "code or state missing")
    if not isinstance(entry, dict):
        raise SignInFailed("state_mismatch")
    return entry


def _signed_in(request, user, id_token, identity):
    next_url = request.session.pop(NEXT_SESSION_KEY, None)  # checked safe by the start page
    # accounts.signals writes the LOGIN row when auth.login sends user_logged_in: with this detail.
    request.sign_in_detail = {"method": "proconnect", "idp_id": identity["idp_id"]}
    auth.login(request, user, backend=BACKEND)
    # After login (which flushes the session of another user): the end of the session needs it.
    request.session[provider.ID_TOKEN_SESSION_KEY] = id_token
    AxesProxyHandler.reset_attempts(ip_address=audit.client_ip(request), username=_axes_username(request))
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _axes_username(request) -> str:
    return get_client_username(request, AXES_CREDENTIALS)


def _record_failure(request, reason, detail="") -> None:
    audit.record(
        AuditAction.LOGIN_FAILED,
        label="ProConnect",
        after={"method": "proconnect", "reason": reason, "detail": detail},
        request=request,
    )


def _record_refusal(request, exc: AgentRefused) -> None:
    identity = exc.identity
    audit.record(
        AuditAction.PROCONNECT_REFUSED,
        obj=exc.user,
        label=identity["email"] or "ProConnect",
        after={
            "method": "proconnect",
            "reason": exc.reason,
            "email": identity["email"],
            "siret": identity["siret"],
            "idp_id": identity["idp_id"],
        },
        request=request,
    )


# --- Used by accounts' sign-in and sign-out pages ---------------------------------------------


def login_context() -> dict:
    """What the sign-in page offers: ProConnect's button, the password form."""
    return {"proconnect": provider.configured(), "local_accounts": settings.LOCAL_ACCOUNTS_ENABLED}


def end_session_url(request) -> str | None:
    """Where to send the browser so that signing out of Pilotis ends the ProConnect session too:
    ProConnect's end_session endpoint with the session's ID token. None for a session opened with
    a password (read it before the session is flushed)."""
    id_token = request.session.get(provider.ID_TOKEN_SESSION_KEY)
    if not id_token or not provider.configured():
        return None
    try:
        endpoint = provider.end_session_endpoint()
    except provider.ProviderUnavailable:
        return None
    if not endpoint:
        return None
    params = {
        "id_token_hint": id_token,
        "state": get_random_string(32),
        "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    return f"{endpoint}?{urlencode(params)}"
