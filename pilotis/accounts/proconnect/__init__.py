"""Sign-in with ProConnect (OIDC, through mozilla-django-oidc): `provider` (its specifics and
settings, in one place), `backend` (the strict OIDC client and whom Pilotis admits), `services`
(the writes), `views` (start and callback). Re-exports what settings and accounts name."""

from pilotis.accounts.proconnect.backend import ProConnectBackend
from pilotis.accounts.proconnect.views import end_session_url, login_context

__all__ = ["ProConnectBackend", "end_session_url", "login_context"]
