"""Who is calling: a personal access token in `Authorization: Bearer …`, or the session (the
documentation pages, Swagger UI's calls). A token anywhere in the address is refused: addresses
end up in proxies' logs, browsers' histories and Referer headers."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from pilotis.api import services

# Query parameters that scripts commonly use to pass a token.
TOKEN_PARAMETERS = {"token", "access_token", "api_key", "apikey", "key", "bearer", "auth", "authorization"}

REFUSED = _("Jeton d’accès invalide, expiré ou révoqué.")
IN_ADDRESS = _(
    "Un jeton ne se passe jamais dans l’adresse : envoyez-le dans l’en-tête « Authorization: Bearer <jeton> »."
)
MALFORMED = _("En-tête Authorization mal formé : « Authorization: Bearer <jeton> » attendu.")


def token_in_address(request) -> bool:
    for name, values in request.query_params.lists():
        if name.lower() in TOKEN_PARAMETERS:
            return True
        if any(services.TOKEN_MARK in value for value in values):
            return True
    return False


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        if token_in_address(request):
            # Journaled without the address's query string (nor the token).
            services.record_refusal(request, reason="token_in_address")
            raise exceptions.AuthenticationFailed(IN_ADDRESS)
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(MALFORMED)
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(MALFORMED) from None
        if "\x00" in secret or len(secret) > 200:
            raise exceptions.AuthenticationFailed(MALFORMED)
        token = services.find_token(secret)
        reason = services.refusal_reason(token)
        if reason:
            services.record_refusal(request, reason=reason, token=token)
            raise exceptions.AuthenticationFailed(REFUSED)
        services.touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthenticationForApi(SessionAuthentication):
    """The session, for the documentation pages and what Swagger UI calls from them; a deactivated
    user's session is ended by `accounts`, so it never reaches here."""
