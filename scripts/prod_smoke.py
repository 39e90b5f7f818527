"""The smoke test of Pilotis served as in production (scripts/prod_stack.sh starts the stack).

It speaks HTTP to gunicorn as the TLS proxy in front of it would (X-Forwarded-Proto: https,
X-Forwarded-For), and as a browser would through that proxy: the Secure __Host- cookies are kept
and sent back, every POST carries its CSRF token and its Origin. What it checks:

- the health check answers;
- the RUPN signs in with the demo password, autosaves one answer of the SCHÉMATIC as the domain
  page's script does (an htmx POST), and finds it stored when the page is loaded again;
- with --with-exports: the DANE starts a steering export, which the worker prepares in the
  background (the stack sets EXPORT_BACKGROUND_ROWS=0); its page shows the download link
  (id="export-download") once ready, and the file downloads;
- with --with-api: the DANE creates a personal access token under « Mon compte » and lists the
  schools of the API with it.

Exit status 0 when every step passed; otherwise the step that failed and why.
"""

import argparse
import re
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

DEMO_PASSWORD = "demo"  # noqa: S105 — the demo accounts' published password
TIMEOUT = 30


class SmokeFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise SmokeFailure(message)


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text of <textarea> elements."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.forms: list[dict] = []
        self._textarea = None
        self._form = None
        self._select = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "form":
            self._form = {**attributes, "fields": [], "ids": set()}
            self.forms.append(self._form)
        elif self._form is not None:
            if attributes.get("id"):
                self._form["ids"].add(attributes["id"])
            if tag == "input" and attributes.get("name") and attributes.get("type") not in ("submit", "button"):
                if attributes.get("type") not in ("radio", "checkbox") or "checked" in attributes:
                    self._form["fields"].append((attributes["name"], attributes.get("value", "")))
            elif tag == "select" and attributes.get("name"):
                self._select = [attributes["name"], None]
                self._form["fields"].append(self._select)
            # A select submits its selected option, else its first.
            elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in attributes):
                self._select[1] = attributes.get("value", "")
        if tag == "textarea":
            attributes["text"] = ""
            self._textarea = attributes

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def find(self, tag=None, **attributes):
        return [
            attrs
            for name, attrs in self.tags
            if (tag is None or name == tag) and all(attrs.get(k.replace("_", "-")) == v for k, v in attributes.items())
        ]

    def by_id(self, element_id):
        found = self.find(id=element_id)
        return found[0] if found else None


class ProxiedSession(requests.Session):
    """A browser talking to the TLS proxy sends its Secure cookies; requests, seeing the loopback's
    plain http, would not: every cookie of this host is sent (they are all this host's)."""

    def prepare_request(self, request):
        prepared = super().prepare_request(request)
        prepared.headers.pop("Cookie", None)
        if self.cookies:
            prepared.headers["Cookie"] = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)
        return prepared


class Browser:
    """A session behind the proxy: https as far as Pilotis knows, cookies kept as a browser would."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.public = "https://" + urlsplit(self.base).netloc
        self.session = ProxiedSession()
        self.session.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"})
        self.last_url = self.public + "/"

    def url(self, path):
        return urljoin(self.base + "/", path.lstrip("/")) if not path.startswith("http") else path

    def _path(self, url):
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def get(self, path, *, follow=True, **kwargs):
        response = self._send("GET", path, **kwargs)
        while follow and response.is_redirect:
            response = self._send("GET", response.headers["Location"])
        return response

    def post(self, path, data=None, *, follow=False, headers=None, **kwargs):
        headers = {"Origin": self.public, "Referer": self.last_url, **(headers or {})}
        response = self._send("POST", path, data=data, headers=headers, **kwargs)
        while follow and response.is_redirect:
            response = self._send("GET", response.headers["Location"])
        return response

    def _send(self, method, path, **kwargs):
        path = self._path(path) if path.startswith("http") else path
        response = self.session.request(method, self.url(path), allow_redirects=False, timeout=TIMEOUT, **kwargs)
        check(response.status_code < 500, f"{method} {path}: {response.status_code}\n{response.text[:2000]}")
        if response.is_redirect:
            location = response.headers["Location"]
            # Behind the proxy every redirection stays on https; a http:// one would be a loop.
            check(not location.startswith("http://"), f"{method} {path}: redirected to {location}")
        if method == "GET" and response.status_code == 200:
            self.last_url = self.public + path
        return response

    def sign_in(self, username):
        page = self.get("/compte/connexion/")
        check(page.status_code == 200, f"the sign-in page: {page.status_code}")
        token = csrf_token(page.text)
        response = self.post(
            "/compte/connexion/", {"csrfmiddlewaretoken": token, "username": username, "password": DEMO_PASSWORD}
        )
        check(response.status_code == 302, f"signing in as {username}: {response.status_code} (wrong password?)")
        cookies = {cookie.name: cookie.secure for cookie in self.session.cookies}
        check(cookies.get("__Host-sessionid") is True, f"the session cookie is not a Secure __Host- one: {cookies}")
        return self.get(response.headers["Location"])


def csrf_token(text):
    inputs = Elements(text).find("input", name="csrfmiddlewaretoken")
    check(inputs, "no CSRF token on the page")
    return inputs[0]["value"]


def health(browser):
    response = browser.session.get(browser.url("/sante/"), timeout=TIMEOUT)
    check(response.status_code == 200 and response.json() == {"status": "ok"}, f"/sante/: {response.text[:200]}")


def autosave(browser):
    """The RUPN's school page, its current self-assessment, a domain, one answer saved as the
    page's script saves it, then the page loaded again."""
    home = browser.sign_in("rupn")
    school = re.match(r"/etablissements/([^/]+)/$", urlsplit(home.url).path)
    check(school, f"the RUPN lands on {home.url}, not on the school's page")
    uai = school.group(1)
    current = browser.get(f"/etablissements/{uai}/schematic/en-cours/")
    year = re.search(r"/schematic/(\d{4}-\d{4})/$", urlsplit(current.url).path)
    check(year, f"no current campaign for {uai}: {current.url}")
    base = f"/etablissements/{uai}/schematic/{year.group(1)}/"
    domains = sorted(set(re.findall(re.escape(base) + r"domaines/([^/\"]+)/\"", current.text)))
    check(domains, "the self-assessment lists no domain")
    for code in domains:
        page = browser.get(f"{base}domaines/{code}/")
        boxes = [box for box in Elements(page.text).find("div") if box.get("data-save-url") and box.get("data-code")]
        if boxes:
            break
    else:
        raise SmokeFailure("the RUPN may fill no indicator (validated, or the campaign closed?)")
    domain_path = urlsplit(page.url).path
    box = boxes[0]
    indicator, save_url = box["data-code"], box["data-save-url"]
    elements = Elements(page.text)
    revision = elements.find("input", name=f"{indicator}-seen_revision")
    checked = [radio["value"] for radio in elements.find("input", name=f"{indicator}-status") if "checked" in radio]
    status = "en_cours" if checked != ["en_cours"] else "realise"
    comment = f"Essai de mise en production du {time.strftime('%d/%m/%Y à %H:%M:%S')} — « ça marche »"
    # What core/autosave.js sends: a multipart form, the CSRF token in it, HX-Request.
    fields = {
        "csrfmiddlewaretoken": csrf_token(page.text),
        "status": status,
        "comment": comment,
        "seen_revision": revision[0]["value"] if revision else "",
    }
    response = browser.post(
        save_url, files={name: (None, value) for name, value in fields.items()}, headers={"HX-Request": "true"}
    )
    check(response.status_code == 200, f"the autosave of {indicator}: {response.status_code}\n{response.text[:1000]}")
    check(
        "Enregistré à" in response.text, f"the autosave of {indicator} does not say it saved:\n{response.text[:1000]}"
    )
    again = Elements(browser.get(domain_path).text)
    stored = again.find("textarea", name=f"{indicator}-comment")
    check(stored and stored[0]["text"].strip() == comment, f"{indicator}'s comment is not the one saved: {stored}")
    radios = again.find("input", name=f"{indicator}-status", value=status)
    check(radios and "checked" in radios[0], f"{indicator}'s answer is not « {status} » after a reload")
    return f"{uai} {indicator} → {status}"


def background_export(browser, wait_seconds):
    """The DANE's steering board, its export, prepared by the worker, downloaded."""
    browser.sign_in("dane")
    index = browser.get("/pilotage/")
    campaign = re.search(r"/pilotage/(\d+)/", index.url + " " + index.text)
    check(campaign, "the DANE's steering pages name no campaign")
    board = browser.get(f"/pilotage/{campaign.group(1)}/maturite/")
    check(board.status_code == 200, f"the maturity board: {board.status_code}")
    response = start_export(browser, board, f"/pilotage/{campaign.group(1)}/export/maturity.csv")
    job = urlsplit(response.headers.get("Location", "")).path
    check(
        re.fullmatch(r"/telechargements/[0-9a-f-]{36}/", job),
        f"the export did not go to the background: {response.status_code} {response.headers.get('Location')}",
    )
    deadline = time.monotonic() + wait_seconds
    while True:
        page = browser.get(job)
        check(page.status_code == 200, f"{job}: {page.status_code}")
        link = Elements(page.text).by_id("export-download")
        if link is not None:
            break
        check(time.monotonic() < deadline, f"{job}: no download link after {wait_seconds} s (is the worker up?)")
        time.sleep(1)
    check(link.get("href"), f"{job}: the download link has no address")
    download = browser.get(link["href"])
    check(download.status_code == 200 and download.content, f"the download: {download.status_code}, empty or not")
    return f"{job} → {len(download.content)} bytes"


def start_export(browser, board, href):
    """The board's export as a person clicks it: a POST form of the board whose action is the
    export, or the export's link, whose page offers to prepare it with a POST form (a GET never
    makes a job). The form is sent as the browser sends it: every field it holds."""
    for form in Elements(board.text).forms:
        if form.get("method", "").lower() == "post" and "/export/" in form.get("action", ""):
            return browser.post(form["action"], dict(form["fields"]))
    page = browser.get(href, follow=False)
    if page.is_redirect:
        return page
    check(page.status_code == 200, f"{href}: {page.status_code}")
    check("html" in page.headers.get("Content-Type", ""), f"{href} gave the file at once, not a background job")
    forms = [
        f for f in Elements(page.text).forms if f.get("method", "").lower() == "post" and "export-start" in f["ids"]
    ]
    forms = forms or [
        f
        for f in Elements(page.text).forms
        if f.get("method", "").lower() == "post" and "deconnexion" not in f.get("action", "")
    ]
    check(forms, f"{href}: neither a background job nor a form to start one")
    return browser.post(forms[0].get("action") or href, dict(forms[0]["fields"]))


def api_with_a_token(browser):
    """A personal access token made under « Mon compte », then the API with it."""
    browser.sign_in("dane")
    page = browser.get("/compte/jetons/")
    check(page.status_code == 200, f"/compte/jetons/: {page.status_code}")
    # The creation form is on the list, or one link away from it.
    links = [a["href"] for a in Elements(page.text).find("a") if a.get("href", "").startswith("/compte/jetons/")]
    links = [href for href in links if href != "/compte/jetons/" and "revoquer" not in href]
    if links and not any(name == "name" for form in Elements(page.text).forms for name, _ in form["fields"]):
        page = browser.get(links[0])
        check(page.status_code == 200, f"{links[0]}: {page.status_code}")
    forms = [
        f
        for f in Elements(page.text).forms
        if f.get("method", "").lower() == "post" and any(name == "name" for name, _ in f["fields"])
    ]
    check(forms, f"{urlsplit(page.url).path}: no form to create a token (a field « name »)")
    creation = forms[0]
    fields = {**dict(creation["fields"]), "name": "Essai de mise en production"}
    created = browser.post(creation.get("action") or urlsplit(page.url).path, fields, follow=True)
    element = re.search(r'id="api-token-value"[^>]*>\s*(?:<[^>]+>\s*)*([^<\s]+)', created.text)
    value = Elements(created.text).by_id("api-token-value")
    token = (value or {}).get("value") or (element.group(1) if element else "")
    check(token, f"no token on the page after its creation ({created.status_code})")
    # The API reads the token only: a fresh session, no cookie.
    api = requests.get(
        browser.url("/api/v1/schools/"),
        headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https", "Accept": "application/json"},
        timeout=TIMEOUT,
    )
    check(api.status_code == 200, f"/api/v1/schools/ with the token: {api.status_code} {api.text[:500]}")
    body = api.json()
    check(isinstance(body, dict) and isinstance(body.get("results"), list), f"/api/v1/schools/: {str(body)[:500]}")
    check(body["results"], "/api/v1/schools/: the DANE sees no school")
    return f"{len(body['results'])} schools on the first page"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8151", help="gunicorn's address (plain http on loopback)")
    parser.add_argument("--with-exports", action="store_true", help="also an export in the background")
    parser.add_argument("--with-api", action="store_true", help="also the API with a personal access token")
    parser.add_argument("--export-wait", type=int, default=60, help="seconds the worker has to prepare the export")
    options = parser.parse_args(argv)
    steps = [
        ("health check", lambda: health(Browser(options.base))),
        ("sign-in and autosave", lambda: autosave(Browser(options.base))),
    ]
    if options.with_exports:
        steps.append(("background export", lambda: background_export(Browser(options.base), options.export_wait)))
    if options.with_api:
        steps.append(("API with a token", lambda: api_with_a_token(Browser(options.base))))
    for name, step in steps:
        began = time.monotonic()
        try:
            detail = step()
        except (SmokeFailure, requests.RequestException, ValueError) as exc:
            print(f"FAILED  {name}: {exc}", file=sys.stderr)
            return 1
        print(f"ok      {name} ({time.monotonic() - began:.1f} s){f': {detail}' if detail else ''}")
    skipped = [
        flag for flag, on in (("--with-exports", options.with_exports), ("--with-api", options.with_api)) if not on
    ]
    if skipped:
        print(f"not run: {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
