"""`{% static_integrity 'path' %}`: the Subresource Integrity of a static file as it is served.

The manifest storage rewrites the `url()` references inside stylesheets when it collects them, so
a checksum of the file as published (django-dsfr's `{% dsfr_css %}` carries those) no longer
matches what the browser receives, which then refuses it. The digest is therefore computed from
the very file WhiteNoise serves: the collected, hashed copy in production, the app's own file when
static files come from the apps (development, tests). It is computed once per file version: the
cache key holds the file's size and modification time.
"""

import base64
import hashlib
import os
from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

register = template.Library()


def served_path(name: str) -> str | None:
    """The file on disk that WhiteNoise sends for the static file `name`, or None."""
    if getattr(settings, "WHITENOISE_USE_FINDERS", False):
        found = finders.find(name)
        if found:
            return found
    stored_name = getattr(staticfiles_storage, "stored_name", None)
    path = staticfiles_storage.path(stored_name(name) if stored_name else name)
    return path if os.path.exists(path) else finders.find(name)


@lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    sha = hashlib.sha384()
    with open(path, "rb") as served:
        for chunk in iter(lambda: served.read(1 << 16), b""):
            sha.update(chunk)
    return "sha384-" + base64.b64encode(sha.digest()).decode("ascii")


@register.simple_tag
def static_integrity(name: str) -> str:
    path = served_path(name)
    if path is None:
        raise ValueError(f"No static file {name!r}: it cannot be given an integrity checksum.")
    stat = os.stat(path)
    return _digest(path, stat.st_size, stat.st_mtime_ns)
