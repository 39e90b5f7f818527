import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from pilotis.core.scope import scope_of

SESSION_STARTED_KEY = "pilotis_signed_in_at"
SESSION_SEEN_KEY = "pilotis_seen_at"
# The idle window slides at most once a minute: saving the session on every request would add
# a database write to each autosave (SESSION_SAVE_EVERY_REQUEST stays off).
SESSION_REFRESH_SECONDS = 60
CURRENT_SCHOOL_KEY = "pilotis_current_school"


class SessionLifetimeMiddleware:
    """Absolute session lifetime, counted from sign-in; the idle timeout is the session cookie
    age, pushed ahead by activity, at most once every SESSION_REFRESH_SECONDS (SECURITY.md,
    « Session lifetime »)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = int(time.time())
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Votre session a expiré : veuillez vous reconnecter."))
                return redirect_to_login(request.get_full_path())
            now = int(time.time())
            if now - request.session.get(SESSION_SEEN_KEY, 0) >= SESSION_REFRESH_SECONDS:
                request.session[SESSION_SEEN_KEY] = now  # modified: saved, expiry and cookie renewed
        return self.get_response(request)


class CurrentSchoolMiddleware:
    """Resolves once per request the school the user is working in (request.current_school).

    It is the school chosen last among the user's own schools, or the first of them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Lazy: an autosave or a download never shows the header, so never pays the query.
        resolved = SimpleLazyObject(lambda: self._resolve(request))
        request.current_school = SimpleLazyObject(lambda: resolved[0])
        request.my_schools = SimpleLazyObject(lambda: resolved[1])
        return self.get_response(request)

    @staticmethod
    def _resolve(request):
        scope = scope_of(request.user)
        if not scope.school_roles:
            return (None, [])
        from pilotis.territories.models import School

        wanted = request.session.get(CURRENT_SCHOOL_KEY)
        school_id = wanted if wanted in scope.school_roles else None
        schools = School.objects.filter(pk__in=scope.school_ids).select_related("department")
        by_id = {s.pk: s for s in schools}
        if school_id is None and by_id:
            school_id = min(by_id, key=lambda pk: (by_id[pk].name, pk))
        return (by_id.get(school_id), sorted(by_id.values(), key=lambda s: (s.name, s.pk)))
