from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the e-mail address, either case-insensitive."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
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


def axes_username(request, credentials) -> str:
    """Lockout counts per account, whether it is typed as username or as e-mail."""
    login = ((credentials or {}).get("username") or "").strip()
    User = get_user_model()
    try:
        return User.objects.get_by_login(login).username.lower()
    except (User.DoesNotExist, User.MultipleObjectsReturned):
        return login.lower()[:150]
