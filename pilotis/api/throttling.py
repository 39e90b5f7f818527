"""One budget of requests per token (per person for the session), kept in Django's cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from pilotis.api.models import AccessToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read at each request (DRF reads its rates once, at import): the setting may change in tests.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AccessToken):
            # The digest, not the id: ids are reused after a rollback, digests never.
            ident = f"token:{request.auth.hashed_secret[:32]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}:{request.user.roles_stamp}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return f"pilotis:api:throttle:{ident}"
