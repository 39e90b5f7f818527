"""Bench-only settings: the project's, plus this app (its tables) and the bare view's URL.

Both servers of the autosave load test run with this module, so that the only difference
between them is the view.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
ROOT_URLCONF = "benchmarks.urls"
# WhiteNoise warns at every start when its root is missing; the bench serves no static file.
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
