"""The OIDC client of ProConnect: mozilla-django-oidc's backend, made strict (audience, issuer,
expiry, nonce, the userinfo's subject) and told who Pilotis admits. Every refusal raises
`SignInFailed` (the answer is not to be trusted) or `AgentRefused` (a true agent Pilotis does
not admit); the callback view audits both and words them for the browser."""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from pilotis.accounts.proconnect import provider, services
from pilotis.accounts.proconnect.errors import AgentRefused, SignInFailed


def _endpoint(name):
    return property(lambda self: provider.setting(name))


class ProConnectBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(provider.setting)

    # Read at first use, not when Django builds the backend (it builds every backend at each
    # password sign-in, ProConnect configured or not).
    OIDC_OP_TOKEN_ENDPOINT = _endpoint("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _endpoint("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _endpoint("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_CLIENT_ID = _endpoint("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _endpoint("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = provider.SIGN_ALGO
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self.request = None
        self.identity = None  # the claims Pilotis keeps, once the userinfo is verified

    def authenticate(self, request, **credentials):
        """Never through django.contrib.auth.authenticate: a password form posted with
        `?code=…&state=…` must not reach ProConnect. The callback view calls `sign_in`."""
        return None

    def get_user(self, user_id):
        # Django's rule, not mozilla-django-oidc's: a deactivated user's session is no session.
        return ModelBackend.get_user(self, user_id)

    # --- The answer of ProConnect --------------------------------------------------------------

    def sign_in(self, request, *, nonce, code_verifier=None):
        """The user of the callback's code, and the ID token (for the end of the session)."""
        self.request = request
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": request.GET["code"],
            "redirect_uri": absolutify(request, reverse("accounts:proconnect_callback")),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        try:
            token_info = self.get_token(payload)
        except requests.HTTPError as exc:
            # A code used twice, expired, or not issued to us: « invalid_grant ».
            raise SignInFailed("code_refused", _oauth_error(exc.response)) from exc
        except (requests.RequestException, ValueError) as exc:
            raise SignInFailed("provider_unreachable", f"token: {type(exc).__name__}") from exc
        if not isinstance(token_info, dict):
            raise SignInFailed("token_answer_malformed")
        id_token, access_token = token_info.get("id_token"), token_info.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise SignInFailed("token_answer_malformed", "id_token or access_token missing")
        claims = self.verify_token(id_token, nonce=nonce)
        return self.get_or_create_user(access_token, id_token, claims), id_token

    def verify_token(self, token, **kwargs):
        """The ID token: signed by ProConnect's key, for us, from it, not expired, answering our nonce
        (and our authentication level, when one is asked)."""
        claims = self._decode(token, what="id_token", require=["iss", "aud", "exp", "iat", "sub"])
        nonce = kwargs.get("nonce")
        if not nonce or claims.get("nonce") != nonce:
            raise SignInFailed("nonce_mismatch")
        wanted = provider.acr_values()
        if wanted and claims.get("acr") not in wanted:
            raise SignInFailed("acr_not_met", f"acr={claims.get('acr')!r}, asked {' '.join(wanted)}")
        return claims

    def _decode(self, token, *, what, require):
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise SignInFailed(f"{what}_malformed") from exc
        if header.get("alg") != provider.SIGN_ALGO:
            raise SignInFailed(f"{what}_algorithm", f"alg={header.get('alg')!r}")
        try:
            key = self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, KeyError, jwt.PyJWKError) as exc:
            raise SignInFailed(f"{what}_key_unknown") from exc
        except (requests.RequestException, ValueError) as exc:
            raise SignInFailed("provider_unreachable", f"jwks: {type(exc).__name__}") from exc
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            claims = jwt.decode(
                token,
                key,
                algorithms=[provider.SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID if "aud" in require or "aud" in unverified else None,
                issuer=provider.issuer() if "iss" in require or "iss" in unverified else None,
                leeway=provider.LEEWAY_SECONDS,
                options={"require": require},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SignInFailed(f"{what}_expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInFailed(f"{what}_audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInFailed(f"{what}_issuer") from exc
        except jwt.InvalidTokenError as exc:
            raise SignInFailed(f"{what}_invalid", type(exc).__name__) from exc
        audiences = claims.get("aud")
        if isinstance(audiences, list) and len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SignInFailed(f"{what}_audience", "azp")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """ProConnect answers a signed JWT (application/jwt); other providers, and the tests'
        provider, plain JSON. Either way, about the ID token's subject."""
        try:
            response = requests.get(
                self.OIDC_OP_USER_ENDPOINT,
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=settings.PROCONNECT_TIMEOUT,
            )
            response.raise_for_status()
        except requests.HTTPError as exc:
            raise SignInFailed("userinfo_refused", _oauth_error(exc.response)) from exc
        except requests.RequestException as exc:
            raise SignInFailed("provider_unreachable", f"userinfo: {type(exc).__name__}") from exc
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            claims = self._decode(response.text.strip(), what="userinfo", require=["sub"])
        else:
            try:
                claims = response.json()
            except ValueError as exc:
                raise SignInFailed("userinfo_malformed") from exc
        if not isinstance(claims, dict):
            raise SignInFailed("userinfo_malformed")
        if claims.get("sub") != payload.get("sub"):
            raise SignInFailed("userinfo_subject_mismatch")
        return claims

    # --- Whom Pilotis admits -----------------------------------------------------------------

    def verify_claims(self, claims):
        identity = provider.identity_of(claims)
        missing = [name for name in ("sub", "idp_id", "email") if not identity[name]]
        if missing:
            raise SignInFailed("claims_missing", ", ".join(missing))
        try:
            validate_email(identity["email"])
        except ValidationError as exc:
            raise SignInFailed("claims_invalid", "email") from exc
        return True

    def filter_users_by_claims(self, claims):
        """The account this identity signed in with before, else the account (or the invitation:
        an account not used yet) of its e-mail address."""
        identity = provider.identity_of(claims)
        linked = self.UserModel.objects.filter(
            proconnect_identities__idp_id=identity["idp_id"], proconnect_identities__sub=identity["sub"]
        )
        if linked.exists():
            return linked
        return self.UserModel.objects.filter(email__iexact=identity["email"])

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        self.verify_claims(claims)
        identity = self.identity = provider.identity_of(claims)
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            raise SignInFailed("several_accounts")
        if users:
            if not self.user_can_authenticate(users[0]):
                raise AgentRefused("inactive", identity, users[0])
            return self.update_user(users[0], claims)
        if services.domain_allowed(identity["email"]):
            return self.create_user(claims)
        raise AgentRefused("unknown_agent", identity)

    def update_user(self, user, claims):
        return services.link_identity(user, provider.identity_of(claims), request=self.request)

    def create_user(self, claims):
        return services.create_agent_account(provider.identity_of(claims), request=self.request)


def _oauth_error(response) -> str:
    """« 400 invalid_grant »: the provider's error code, never its free text (it may echo input)."""
    if response is None:
        return ""
    try:
        error = response.json().get("error", "")
    except (ValueError, AttributeError):
        error = ""
    return f"{response.status_code} {str(error)[:60]}".strip()
