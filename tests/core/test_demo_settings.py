"""`make demo` shows a newcomer Pilotis's own French error pages, never Django's technical ones.

The settings are read once per process, so the demo's are loaded in a process of its own, with
exactly the environment the Makefile gives the demo (its DEMO_ENV line) and nothing of the suite's.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the demo in its own process

BASE_DIR = Path(__file__).resolve().parents[2]

UNDER_THE_DEMO = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/cette-page-n-existe-pas/")
stylesheet = client.get("/static/core/pilotis.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "status": missing.status_code,
    "page": missing.content.decode(),
    "stylesheet": stylesheet.status_code,
    "email": settings.MAILERS["default"]["BACKEND"],
}))
"""


def demo_environment(tmp_path) -> dict[str, str]:
    line = re.search(r"^DEMO_ENV :=(.*)$", (BASE_DIR / "Makefile").read_text(), flags=re.MULTILINE)
    assert line, "the Makefile has no DEMO_ENV line"
    variables = dict(assignment.split("=", 1) for assignment in line.group(1).split())
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Never the demo's own database: the page asked for needs none, but settings create its folder.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        **variables,
    }


def test_the_demo_answers_an_unknown_page_with_pilotis_french_404(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", UNDER_THE_DEMO],
        cwd=BASE_DIR,
        env=demo_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    demo = json.loads(done.stdout.strip().splitlines()[-1])
    assert demo["debug"] is False
    assert demo["status"] == 404
    assert "Page introuvable" in demo["page"]
    assert "URLconf" not in demo["page"] and "DEBUG = True" not in demo["page"]
    # What the demo keeps of a laptop: its static files (from the apps) and e-mails on the console.
    assert demo["stylesheet"] == 200
    assert demo["email"] == "django.core.mail.backends.console.EmailBackend"
