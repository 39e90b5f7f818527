"""The database of the settings: SQLite by default, in WAL mode (readers and one writer at once).

The suite's own test database may be SQLite in memory (no WAL there) or PostgreSQL, so the
settings are loaded in a fresh process, as `manage.py` loads them, with the environment chosen.
"""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow  # each test starts a Python process

PROBE = """
import json
import django
from django.conf import settings
from django.db import connection

django.setup()
result = {"engine": settings.DATABASES["default"]["ENGINE"], "name": str(settings.DATABASES["default"]["NAME"])}
if CONNECT:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        result["journal_mode"] = cursor.fetchone()[0]
        cursor.execute("PRAGMA foreign_keys")
        result["foreign_keys"] = cursor.fetchone()[0]
print(json.dumps(result))
"""


def settings_in_a_fresh_process(env: dict, *, connect: bool) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", f"CONNECT = {connect}\n{PROBE}"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_sqlite_is_the_default():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    found = settings_in_a_fresh_process(env, connect=False)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(settings.BASE_DIR / "var" / "pilotis.sqlite3")


def test_a_sqlite_file_database_is_in_wal_mode(tmp_path):
    path = tmp_path / "pilotis.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}

    found = settings_in_a_fresh_process(env, connect=True)

    assert (found["journal_mode"], found["foreign_keys"]) == ("wal", 1)
    # WAL is a property of the file: a connection that sets nothing finds it too.
    with closing(sqlite3.connect(path)) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
