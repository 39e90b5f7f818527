"""`manage.py check --deploy` with production settings reports no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs manage.py in its own process

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides):
    env = {
        # Only what a process needs from the host; nothing of the test suite's own environment.
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "pilotis.example.fr",
        "CSRF_TRUSTED_ORIGINS": "https://pilotis.example.fr",
        "SITE_URL": "https://pilotis.example.fr",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pilotis.sqlite3'}",
        "BEHIND_TLS_PROXY": "1",
        "PROXY_COUNT": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_COOKIES": "1",
        "SECURE_HSTS_SECONDS": "63072000",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.fr",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "1",
        "DEFAULT_FROM_EMAIL": "Pilotis <ne-pas-repondre@example.fr>",
        "LOG_LEVEL": "WARNING",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_has_no_warning(tmp_path):
    env = production_env(tmp_path)
    assert len(env["SECRET_KEY"]) == 60
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "ERRORS" not in output
    assert "System check identified no issues" in output


def test_deploy_check_without_tls_proxy_has_no_warning(tmp_path):
    """Served directly over TLS (no proxy header trusted): still clean."""
    env = production_env(tmp_path, BEHIND_TLS_PROXY=None, PROXY_COUNT=None)
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_weak_production_settings_are_reported(tmp_path):
    """The check itself is live: a short key and no HSTS are flagged (so a pass above means something)."""
    env = production_env(tmp_path, SECRET_KEY="court", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="0")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for code in ("security.W004", "security.W009", "security.W012", "security.W016"):
        assert code in output, code
