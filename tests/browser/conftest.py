"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium for all the browser tests, one fresh context (cookies, storage) per test. The demo
académie is in the live server's database for each test that asks for `demo` (the live server
needs transactional tests, which empty the database after each test: `demo` copies it back), and
the tests are few and long: one per role visits all of that role's pages.

The live server listens on `localhost`, a potentially trustworthy origin: Chromium keeps the
`Secure`, `__Host-` session and CSRF cookies of the production-like test settings over plain HTTP.
"""

import io
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

from pilotis.accounts.models import SchoolMembership
from pilotis.territories.models import School
from tests.browser.pages import Site

CHROMIUM = os.environ.get("PILOTIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # No host but the live server's: nothing can leave the machine, whatever a page asks for.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
]
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# Collège du Pays des Luys (Landes) and the first public lycée of the Pyrénées-Atlantiques:
# the schools `load_demo` gives its school-level accounts.
COLLEGE_UAI = "0400003L"
LYCEE_UAI = "0640001D"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so that fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def playwright_browser():
    """One Chromium for all the browser tests.

    Package scope rather than session scope: while Playwright's sync API is alive, the main
    thread looks like it runs an asyncio loop (its dispatcher greenlet marks the loop running),
    so Django refuses database calls there with SynchronousOnlyOperation. Inside this package the
    test thread's own database work (creating the test database, `load_demo`, the flush after
    each test) is synchronous for real, hence DJANGO_ALLOW_ASYNC_UNSAFE; the live server answers
    from its own thread, where the check stays on. Both end with the last browser test, so the
    rest of the suite runs with neither.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make chromium` (Debian's package).")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


# The demo's database once loaded, per test process: an in-memory SQLite copy (see `demo`).
_demo_snapshot: list[sqlite3.Connection] = []


@pytest.fixture
def demo(live_server):
    """The demo académie and accounts, in the live server's database.

    `load_demo` costs 10 to 30 seconds here, and the live server's transactional tests empty the
    database after each test. On SQLite's in-memory test database (the browser tests' run), the
    first test of a process loads it and keeps a copy of the whole database; the next ones copy it
    back with SQLite's backup API, in well under a second: the same rows, ids and sequences as a
    fresh `load_demo`. Elsewhere, each test loads it.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.ensure_connection()
        if _demo_snapshot:
            _demo_snapshot[0].backup(connection.connection)
            # What this process cached of the emptied database (content types, the cache's
            # entries) describes rows the copy has replaced.
            ContentType.objects.clear_cache()
            for cache in caches.all():
                cache.clear()
        else:
            call_command("load_demo", verbosity=0, stdout=io.StringIO())
            snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(snapshot)
            _demo_snapshot.append(snapshot)
    else:
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert School.objects.count() == 589
    expected = {"direction": COLLEGE_UAI, "rupn": COLLEGE_UAI, "enseignant": COLLEGE_UAI, "rupn64": LYCEE_UAI}
    # The académie's other schools' RUPN (`rupn-<uai>`, who cannot sign in) are the network's figures.
    demo_people = SchoolMembership.objects.exclude(user__username__startswith="rupn-")
    memberships = dict(demo_people.values_list("user__username", "school__uai"))
    assert memberships == expected, "load_demo no longer gives the demo accounts the schools these tests expect"
    # The demo's own e-mails (its lettre de mission proposed, then answered) are not the test's.
    mail.outbox.clear()


@pytest.fixture(scope="session")
def screenshot_root():
    return Path(tempfile.gettempdir()) / "pilotis-browser-failures"


@pytest.fixture
def site(request, playwright_browser, live_server, screenshot_root):
    """A fresh browser context on the live server, wrapped in the page helpers of `pages.Site`."""
    context = playwright_browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    site = Site(context.new_page(), live_server.url)
    yield site
    failed = any(
        getattr(request.node, f"report_{when}", None) is not None and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )
    try:
        if failed:
            folder = Path(tempfile.mkdtemp(prefix=f"{request.node.name[:60]}-", dir=_mkdir(screenshot_root)))
            site.save_screenshots(folder)
            print(f"Screenshots of the pages visited: {folder}")
    finally:
        context.close()
    assert not site.external_requests, f"Requests outside the live server: {site.external_requests}"


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
