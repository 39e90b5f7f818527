"""A real OIDC provider for the ProConnect tests (oidc-provider-mock), on loopback, in a thread of
the test process: `/` gives ID tokens valid for an hour, `/expire/` ID tokens already expired.
`proconnect` configures Pilotis to it and drives the browser's part of the flow."""

import threading
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

import flask
import oidc_provider_mock
import pytest
import requests
import werkzeug.serving
from django.urls import reverse
from joserfc import jwt as jose_jwt
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from pilotis.accounts.proconnect import provider

# The ports this part of the suite may use (one per test process).
PORTS = range(8121, 8125)
CLIENT_ID = "pilotis-tests"
CALLBACK = "http://testserver/compte/proconnect/retour/"

# Switched on by a test: the userinfo answers a signed JWT (application/jwt), as ProConnect does.
USERINFO_AS_JWT = threading.Event()


def _userinfo_as_jwt(response):
    if not USERINFO_AS_JWT.is_set() or flask.request.path != "/userinfo" or response.status_code != 200:
        return response
    key = flask.g.oidc_provider_mock_storage.jwk
    claims = {**response.get_json(), "iss": flask.request.host_url.rstrip("/"), "aud": CLIENT_ID}
    token = jose_jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
    return flask.Response(token, status=200, content_type="application/jwt; charset=utf-8")


def _make_server():
    fresh = oidc_provider_mock.app(require_nonce=True)
    fresh.after_request(_userinfo_as_jwt)
    expired = oidc_provider_mock.app(require_nonce=True, access_token_max_age=timedelta(minutes=-5))
    application = DispatcherMiddleware(fresh, {"/expire": expired})
    for port in PORTS:
        try:
            return werkzeug.serving.make_server("127.0.0.1", port, application, threaded=True)
        except (OSError, SystemExit):
            continue
    raise RuntimeError(f"no free port among {list(PORTS)} for the OIDC provider")


@pytest.fixture(scope="session")
def oidc_server():
    server = _make_server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@dataclass
class ProConnect:
    base: str
    settings: object

    def use(self, prefix=""):
        """Points Pilotis at the provider (`/expire` for the one that hands out expired tokens)."""
        self.settings.PROCONNECT_DISCOVERY_URL = f"{self.base}{prefix}/.well-known/openid-configuration"
        provider.forget_discovery()

    def agent(self, sub, *, email, idp_id="idp-education", siret="13002526500013", **claims):
        """An agent as their identity provider describes them."""
        body = {"email": email, "idp_id": idp_id, "siret": siret, "usual_name": "Dupont", "uid": sub, **claims}
        response = requests.put(f"{self.base}/users/{sub}", json=body, timeout=5)
        assert response.status_code == 204
        return sub

    def authorize(self, client, sub, *, next_url=None):
        """The start page, then ProConnect's consent for `sub`: the callback's URL (path and query)."""
        start = reverse("accounts:proconnect_login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
        response = client.get(start)
        assert response.status_code == 302, response.status_code
        location = response["Location"]
        assert location.startswith(provider.setting("OIDC_OP_AUTHORIZATION_ENDPOINT") + "?")
        answer = requests.post(location, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert answer.status_code == 302, answer.text
        callback = answer.headers["Location"]
        assert callback.startswith(CALLBACK + "?")
        return callback.removeprefix("http://testserver")

    def sign_in(self, client, sub, **kwargs):
        return client.get(self.authorize(client, sub, **kwargs))


@pytest.fixture
def proconnect(oidc_server, settings):
    settings.PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PROCONNECT_CLIENT_SECRET = "secret-des-tests"
    settings.PROCONNECT_ISSUER = ""
    settings.PROCONNECT_ACR_VALUES = ""
    settings.PROCONNECT_ALLOWED_DOMAINS = []
    settings.LOCAL_ACCOUNTS_ENABLED = True
    helper = ProConnect(oidc_server, settings)
    helper.use()
    USERINFO_AS_JWT.clear()
    yield helper
    USERINFO_AS_JWT.clear()
    provider.forget_discovery()
