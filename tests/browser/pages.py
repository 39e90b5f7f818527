"""Page helpers for the browser tests: a `Site` that visits and checks pages, and small page objects.

Every page the tests see goes through `Site.check()`: HTTP status, a <title> naming Pilotis,
exactly one <h1>, no console error (CSP violations, failed loads, uncaught exceptions) and no
axe-core violation of WCAG 2.1 A/AA. Problems are collected page by page and reported together
by `Site.assert_clean()`, so that one run lists everything there is to fix.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import Resolver404, resolve

DEMO_PASSWORD = "demo"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# No preload: it fetches every stylesheet again for the CSSOM, which only experimental rules use
# (css-orientation-lock), and those do not run.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"], "preload": False}
AXE_RUN = "options => axe.run(document, options).then(results => results.violations)"
# Files, not pages: a path ending in an extension, and the API's OpenAPI schema (YAML), which its
# documentation page links to.
FILE_PATH = re.compile(r"\.[A-Za-z0-9]{2,5}$|^/api/v1/schema/$")
PAGE_FACTS = """() => ({
    title: document.title,
    h1: Array.from(document.querySelectorAll("h1"), h => h.textContent.trim()),
    links: Array.from(document.querySelectorAll("a[href]:not([download])"), a => a.href),
})"""


@dataclass
class Visit:
    requested: str  # what was asked for (a path, or the button clicked)
    url: str  # where the browser ended, redirects followed
    status: int | None
    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    screenshot: bytes | None = None


def format_violation(violation: dict) -> str:
    lines = [f"axe {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}"]
    for node in violation["nodes"]:
        lines.append(f"  target {', '.join(map(str, node['target']))}: {' '.join(node['html'].split())[:240]}")
        summary = " / ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines() if line.strip())
        if summary:
            lines.append(f"    {summary[:400]}")
    return "\n".join(lines)


class Site:
    """One browser tab on the live server, which checks every page it shows."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base_url))
        self.visits: list[Visit] = []
        self.external_requests: list[str] = []
        self._console: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._console.append(f"uncaught exception: {error}"))
        # A page must need nothing but the live server (Chromium cannot resolve other hosts
        # anyway, see conftest). Listening costs nothing; routing would disable the HTTP cache.
        page.on("request", self._on_request)
        # axe-core, from the axe.min.js that axe-playwright-python ships (nothing is fetched): as
        # an init script, it is sent to Chromium once, not with every page (`Axe.run` does that).
        # Init scripts are the browser's own: the page's CSP does not apply to them.
        page.add_init_script(script=AXE_SCRIPT)

    # --- plumbing ---------------------------------------------------------------------------

    def is_local(self, url: str) -> bool:
        return url == self.origin or url.startswith(self.origin + "/")

    def _on_request(self, request):
        if not self.is_local(request.url) and not request.url.startswith(("data:", "blob:", "about:")):
            self.external_requests.append(request.url)

    def _on_console(self, message):
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self._console.append(f"{message.text} [{where}]")

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    @property
    def path(self) -> str:
        """The current page's path and query string."""
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    # --- visiting and checking --------------------------------------------------------------

    def visit(self, path: str, *, status: int = 200) -> Visit:
        response = self.page.goto(self.url(path))
        if self.page.locator("#swagger-ui").count():
            # The API's documentation is drawn by Swagger UI after the load, its h1 in place of the
            # page's own: the checks read the page once drawn, as a person does.
            self.page.wait_for_selector("#swagger-ui .opblock-summary-control")
        return self.check(path, response.status if response else None, expected_status=status)

    def submit(self, button, *, status: int = 200) -> Visit:
        """Clicks a submit button (or a link) and checks the page it leads to."""
        with self.page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        return self.check(f"click on {button}", response.status if response else None, expected_status=status)

    def check(self, requested: str, status: int | None, *, expected_status: int = 200) -> Visit:
        page = self.page
        visit = Visit(requested=requested, url=self.path, status=status)
        if status != expected_status:
            visit.problems.append(f"HTTP status {status}, expected {expected_status}")
        facts = page.evaluate(PAGE_FACTS)
        if "Pilotis" not in facts["title"]:
            visit.problems.append(f"<title> without “Pilotis”: {facts['title']!r}")
        if len(facts["h1"]) != 1:
            visit.problems.append(f"{len(facts['h1'])} <h1> instead of one: {facts['h1']}")
        # Pages only: a download (a[download], or a path ending in a file extension) is no page.
        visit.links = [
            normalise(href)
            for href in facts["links"]
            if self.is_local(href) and not FILE_PATH.search(urlsplit(href).path)
        ]
        visit.problems.extend(format_violation(v) for v in page.evaluate(AXE_RUN, AXE_OPTIONS))
        visit.problems.extend(self._take_console(status, expected_status))
        # Kept in memory, written out only if the test fails (conftest): the visible part of the
        # page, or all of it when the page has a problem.
        visit.screenshot = page.screenshot(full_page=bool(visit.problems), type="jpeg", quality=70)
        self.visits.append(visit)
        return visit

    def _take_console(self, status, expected_status) -> list[str]:
        messages, self._console = self._console, []
        if status == expected_status and status is not None and status >= 400:
            # Chromium logs the expected error status of the document itself: not a problem.
            expected = f"the server responded with a status of {status}"
            messages = [m for m in messages if expected not in m]
        return [f"console error: {m}" for m in messages]

    def assert_clean(self):
        """Fails with the list of every problem found on every page visited."""
        if self.visits and self._console:
            self.visits[-1].problems.extend(self._take_console(None, None))
        bad = [v for v in self.visits if v.problems]
        if bad:
            report = "\n\n".join(f"{v.url}\n  " + "\n  ".join(p.replace("\n", "\n  ") for p in v.problems) for v in bad)
            pytest.fail(f"{len(bad)} of {len(self.visits)} pages have problems:\n\n{report}", pytrace=False)

    def status_of(self, path: str) -> int:
        """The HTTP status of a GET with the browser's cookies, without showing the page."""
        return self.page.request.get(self.url(path), max_redirects=0).status

    def visited(self) -> set[str]:
        """The paths of the pages shown so far, redirects followed."""
        return {v.url for v in self.visits}

    def linked(self) -> set[str]:
        """The same-origin links found on the pages shown so far."""
        return {link for v in self.visits for link in v.links}

    def landing_of(self, path: str) -> str | None:
        """Where the last visit of `path` ended."""
        return next((v.url for v in reversed(self.visits) if v.requested == path), None)

    def save_screenshots(self, folder: Path):
        for number, visit in enumerate(self.visits, start=1):
            if visit.screenshot:
                slug = re.sub(r"[^0-9A-Za-z]+", "-", visit.url).strip("-") or "home"
                (folder / f"{number:03d}-{slug[:80]}.jpeg").write_bytes(visit.screenshot)
        try:
            (folder / "zz-current-page.png").write_bytes(self.page.screenshot(full_page=True))
        except Exception as error:  # the page may be gone; the earlier screenshots are what matter
            (folder / "zz-current-page.txt").write_text(f"No screenshot: {error}\n", encoding="utf-8")

    # --- crawling ---------------------------------------------------------------------------

    def crawl(self, *, allow, per_route: int = 1, max_pages: int = 60) -> list[str]:
        """Follows the links of the pages shown so far, and of each page it reaches, breadth first.

        `allow(path)` says which paths may be visited. A route (view and query keys) already
        shown `per_route` times is not visited again: one school page stands for the 589.
        `max_pages` only guards against a crawl that never ends: reaching it while allowed pages
        remain unvisited fails the test, so that no page escapes the checks.
        """
        seen = self.visited() | {v.requested for v in self.visits}
        per_key: dict[str, int] = {}
        for path in self.visited():
            per_key[route_key(path)] = per_key.get(route_key(path), 0) + 1
        queue = deque(link for v in self.visits for link in v.links)

        def wanted(path: str) -> bool:
            return path not in seen and allow(path) and per_key.get(route_key(path), 0) < per_route

        crawled = []
        while queue:
            path = queue.popleft()
            if not wanted(path):
                continue
            if len(crawled) >= max_pages:
                left = sorted({route_key(p): p for p in [path, *queue] if wanted(p)}.values())
                pytest.fail(
                    f"The crawl reached max_pages={max_pages} with {len(left)} routes still to visit (raise it, "
                    f"or disallow them on purpose): {left}",
                    pytrace=False,
                )
            visit = self.visit(path)
            crawled.append(path)
            seen.update({path, visit.url})
            per_key[route_key(visit.url)] = per_key.get(route_key(visit.url), 0) + 1
            queue.extend(visit.links)
        return crawled

    # --- signing in and out -----------------------------------------------------------------

    def sign_in(self, login: str, password: str = DEMO_PASSWORD) -> Visit:
        """Through the real form, as a person does it."""
        if not self.path.startswith(SignInPage.PATH):
            self.visit(SignInPage.PATH)
        return SignInPage(self).submit(login, password)

    def sign_out(self) -> Visit:
        return self.submit(self.page.get_by_role("button", name="Se déconnecter"))


def label(text: str) -> re.Pattern:
    """A field's label, whatever follows it (the DSFR's " *" of required fields, a help text)."""
    return re.compile(rf"^\s*{re.escape(text)}(\s*\*)?(\s|$)")


def normalise(url: str) -> str:
    """A URL's path and sorted query string, without the fragment."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + (f"?{query}" if query else "")


def route_key(path: str) -> str:
    parts = urlsplit(path)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{name}?{'&'.join(keys)}"


# --- Page objects --------------------------------------------------------------------------


class SignInPage:
    PATH = "/compte/connexion/"

    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    def submit(self, login: str, password: str) -> Visit:
        self.page.get_by_label(label("Identifiant ou adresse électronique")).fill(login)
        self.page.get_by_label(label("Mot de passe")).fill(password)
        return self.site.submit(self.page.get_by_role("button", name="Se connecter", exact=True))

    def error(self) -> str:
        """The sign-in error, shown in an alert that screen readers announce."""
        return self.page.get_by_role("alert").first.inner_text()


class SchoolListPage:
    PATH = "/etablissements/"

    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    def count(self) -> int:
        """The number of schools found, as the page announces it."""
        text = self.page.get_by_role("status").filter(has_text="établissement").inner_text()
        return int(re.sub(r"\D", "", text))

    def uais(self) -> list[str]:
        return self.page.get_by_role("table").locator("tbody tr td:nth-child(2)").all_inner_texts()

    def departments(self) -> list[str]:
        """The département column of the schools shown."""
        return self.page.get_by_role("table").locator("tbody tr td:nth-child(6)").all_inner_texts()

    def department_options(self) -> list[str]:
        select = self.page.get_by_label(label("Département"))
        return [option.strip() for option in select.locator("option").all_inner_texts()]

    def search(self, text: str = "", **selects: str) -> Visit:
        """Fills the search form (the selects by the visible text of an option) and submits it."""
        self.page.get_by_role("textbox", name=re.compile(r"^\s*Rechercher")).fill(text)
        labels = {"department": "Département", "kind": "Type", "sector": "Secteur"}
        for name, option in selects.items():
            self.page.get_by_label(label(labels[name])).select_option(label=option)
        return self.site.submit(self.page.get_by_role("button", name="Filtrer"))

    def go_to_page(self, number: int) -> Visit:
        pagination = self.page.get_by_role("navigation", name="Pagination")
        return self.site.submit(pagination.get_by_role("link", name=str(number), exact=True))


class MembersPage:
    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    @staticmethod
    def path(uai: str) -> str:
        return f"/etablissements/{uai}/membres/"

    def table(self):
        return self.page.get_by_role("table", name="Membres de l’équipe")

    def row(self, text: str):
        return self.table().get_by_role("row").filter(has_text=text)

    def emails(self) -> list[str]:
        return self.table().locator("tbody tr td:nth-child(2)").all_inner_texts()

    def role_selects(self):
        return self.table().get_by_role("combobox")

    def invite_form(self):
        return self.page.locator("form").filter(has=self.page.get_by_role("button", name="Inviter", exact=True))

    def invite(self, *, email: str, first_name: str, last_name: str, role: str) -> Visit:
        form = self.invite_form()
        form.get_by_label(label("Adresse électronique")).fill(email)
        form.get_by_label(label("Prénom")).fill(first_name)
        form.get_by_label(label("Nom")).fill(last_name)
        form.get_by_label(label("Rôle")).select_option(label=role)
        return self.site.submit(form.get_by_role("button", name="Inviter", exact=True))

    def change_role(self, who: str, role: str) -> Visit:
        row = self.row(who)
        row.get_by_role("combobox").select_option(label=role)
        return self.site.submit(row.get_by_role("button", name="Changer le rôle"))

    def success_message(self) -> str:
        return self.page.locator(".fr-alert--success").inner_text()


def main_menu(site, name):
    """The main menu's link `name`, its group opened first if it sits in one (a user clicks the
    group's button, then the link)."""
    navigation = site.page.get_by_role("navigation", name="Menu principal")
    link = navigation.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        # `has` is queried inside each item (a locator from the page); a closed menu hides its links.
        group = navigation.locator(".fr-nav__item").filter(
            has=site.page.get_by_role("link", name=name, exact=True, include_hidden=True)
        )
        group.locator("button.fr-nav__btn").click()
        link.wait_for(state="visible")
    return link
