"""Pilotis served as an académie deploys it: DEBUG off, collectstatic, WhiteNoise's manifest, gunicorn.

The rest of the suite serves static files from the apps, unhashed, so it cannot see what the
manifest storage does to them (it rewrites the `url()`s inside stylesheets; a checksum of the
published file then no longer matches, and Chromium drops the whole DSFR). Here everything runs
as in production, in processes of its own: a temporary SQLite database migrated and given the
demo, `collectstatic` into a temporary STATIC_ROOT, gunicorn on loopback, settings from the
environment as `.env.example` lists them. Two differences, both for the loopback: no TLS (so no
redirection to https; the cookies stay `Secure`, which Chromium keeps on localhost), and
COMPRESS_STATIC=0 (no gzip/brotli copies, whose brotli pass alone takes collectstatic a minute;
the browser decodes them to the very bytes it checks).
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

from tests.browser.pages import DEMO_PASSWORD, SignInPage, label

pytestmark = pytest.mark.browser

BASE_DIR = Path(__file__).resolve().parents[2]
ROLES = ["direction", "rupn", "enseignant", "correspondant40", "dane", "admin"]
# Present only when the DSFR's stylesheet applies: Marianne, and the header's bottom shadow.
DESIGN = """() => {
    const header = getComputedStyle(document.querySelector("header.fr-header"));
    return {font: getComputedStyle(document.body).fontFamily, shadow: header.filter + " " + header.boxShadow};
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(folder: Path, port: int) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "SQLITE_")) and key != "DEBUG"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SITE_URL=f"http://localhost:{port}",
        DATABASE_URL=f"sqlite:///{folder / 'pilotis.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MANIFEST_STATIC="1",
        STATIC_FROM_APPS="0",
        COMPRESS_STATIC="0",
        SECURE_SSL_REDIRECT="0",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    return environment


def manage(environment: dict[str, str], *arguments: str) -> subprocess.Popen:
    command = [sys.executable, "manage.py", *arguments]
    return subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def succeeded(command: subprocess.Popen) -> None:
    output, _ = command.communicate()
    assert command.returncode == 0, f"{' '.join(command.args[1:])} failed:\n{output.decode()}"


def wait_until_up(server: subprocess.Popen, port: int, log: Path) -> None:
    """Until gunicorn answers its health check (or has stopped, which fails the test)."""
    while server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=0.2)
    pytest.fail(f"gunicorn stopped:\n{log.read_text()}")


@pytest.fixture
def production_server():
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="pilotis-production-") as folder:
        environment = production_environment(Path(folder), port)
        # collectstatic needs no database: it runs beside the migration and the demo.
        collectstatic = manage(environment, "collectstatic", "--noinput", "-v0")
        succeeded(manage(environment, "migrate", "--noinput", "-v0"))
        succeeded(manage(environment, "load_demo", "-v0"))
        succeeded(collectstatic)
        log = Path(folder) / "gunicorn.log"
        with log.open("w") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_up(server, port, log)
            yield f"http://localhost:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_every_role_gets_the_design_system_without_a_console_error(playwright_browser, production_server):
    context = playwright_browser.new_context(base_url=production_server, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    # A request the browser itself cancels (net::ERR_ABORTED: the favicon of a page left at once)
    # is not a failure of the server; any other failure is, as is any answer of 400 or more.
    page.on(
        "requestfailed",
        lambda request: (
            "ERR_ABORTED" not in (request.failure or "")
            and problems.append(f"failed: {request.url} ({request.failure})")
        ),
    )
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}")
    )

    def check(where: str) -> None:
        design = page.evaluate(DESIGN)
        assert "Marianne" in design["font"], f"{where}: no DSFR font ({design['font']})"
        assert design["shadow"] != "none none", f"{where}: the header has no DSFR shadow"
        assert page.locator("html[data-fr-js]").count() == 1, f"{where}: the DSFR's JavaScript did not start"
        assert not problems, f"{where}: {problems}"

    try:
        page.goto(SignInPage.PATH)
        page.wait_for_load_state("load")
        check("sign-in page")
        for role in ROLES:
            context.clear_cookies()
            page.goto(SignInPage.PATH)
            page.get_by_label(label("Identifiant ou adresse électronique")).fill(role)
            page.get_by_label(label("Mot de passe")).fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Se connecter", exact=True).click()
            page.wait_for_url(lambda url: SignInPage.PATH not in url)
            page.wait_for_load_state("load")
            check(f"{role} at {page.url}")
    finally:
        context.close()
