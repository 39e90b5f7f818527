import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# What django-axes keeps in place of a login that names no account (see `axes_username`).
UNKNOWN_LOGIN_PREFIX = "inconnu-"


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the e-mail address, either case-insensitive."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None or not settings.LOCAL_ACCOUNTS_ENABLED:
            return None
        User = get_user_model()
        try:
            user = User.objects.get_by_login(username)
        except (User.DoesNotExist, User.MultipleObjectsReturned):
            User().set_password(password)  # same time as a real check: no account enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def account_of(login) -> object | None:
    """The account a typed login names, or None."""
    User = get_user_model()
    try:
        return User.objects.get_by_login(str(login or ""))
    except (User.DoesNotExist, User.MultipleObjectsReturned):
        return None


def axes_username(request, credentials) -> str:
    """Lockout counts per account, whether it is typed as username or as e-mail.

    A login that names no account is still counted (repeated guesses lock out too), but
    django-axes' table keeps a keyed digest of it, not what was typed (often a password typed in
    the wrong field, or someone's address)."""
    login = ((credentials or {}).get("username") or "").strip()
    user = account_of(login)
    if user is not None:
        return user.username.lower()
    digest = hmac.new(settings.SECRET_KEY.encode(), login.lower().encode(), hashlib.sha256).hexdigest()
    return UNKNOWN_LOGIN_PREFIX + digest[:32]
