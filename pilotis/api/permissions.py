"""What the caller may do: read, when signed in (session) or with a token of scope « read »."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from pilotis.api.enums import TokenScope
from pilotis.api.models import AccessToken


class CanRead(BasePermission):
    """An active user, by the session or a usable token whose scope allows reading. Which rows they
    read is the apps' `for_user`: the API shows what the same person sees on the pages."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method not in SAFE_METHODS:
            return False
        if isinstance(request.auth, AccessToken):
            return request.auth.scope == TokenScope.READ
        return True
