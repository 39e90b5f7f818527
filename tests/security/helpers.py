"""Small helpers shared by the security and accounts tests."""

import html
import re

from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.urlconf import SAMPLE_KWARGS

BACKEND = "pilotis.accounts.backends.UsernameOrEmailBackend"
LOGIN_URL = "/compte/connexion/"

# Rows that a read may legitimately write: the session itself, django-axes' bookkeeping and the
# audit journal (a refused GET is journaled on purpose).
VOLATILE_MODELS = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "core.auditevent",
}


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


def writes_in(queries) -> list[str]:
    """The statements of `queries` (a CaptureQueriesContext) that write a table of a model
    `db_snapshot` compares: a GET may touch only the volatile ones (its session, the journal)."""
    volatile = {apps.get_model(label)._meta.db_table for label in VOLATILE_MODELS}
    return [
        query["sql"]
        for query in queries.captured_queries
        if (match := _WRITE.match(query["sql"])) and match.group(1) not in volatile
    ]


def signed_in(user, **defaults) -> Client:
    """A fresh client, signed in as `user` (several personas may be needed in one test)."""
    client = Client(**defaults)
    client.force_login(user, backend=BACKEND)
    return client


def sign_in(client, login, password=PASSWORD, ip="127.0.0.1", **extra):
    """A real sign-in through the form, as a browser does it."""
    return client.post(reverse("accounts:login"), {"username": login, "password": password}, REMOTE_ADDR=ip, **extra)


def is_sign_in_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


def db_snapshot():
    """Every row of every model except the volatile ones, as comparable tuples."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.label_lower in VOLATILE_MODELS:
            continue
        snapshot[model._meta.label_lower] = sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items())) for row in model.objects.values()
        )
    return snapshot


_URL_ATTR = re.compile(r"""\b(?:href|action|src|formaction)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def page_urls(content: bytes | str) -> list[str]:
    text = content.decode() if isinstance(content, bytes) else content
    return [html.unescape(url) for url in _URL_ATTR.findall(text)]


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def route_url(name, route, values=None) -> str:
    """Reverses a route of the URLconf walk: our values first, then tests.urlconf's samples, then "1"."""
    values = values or {}
    kwargs = {k: values.get(k, SAMPLE_KWARGS.get(k, "1")) for k in route.params}
    return reverse(name, kwargs=kwargs)
