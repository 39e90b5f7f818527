"""Nothing a person types is lost: a comment typed and left at once by a link is saved (or the
page asks first), and a keyboard-only person moving through the answers with the arrow keys
records one change, the one settled on. The page passes axe with its save states shown."""

import re
import time

import pytest
from django.db import OperationalError

from pilotis.assessments.models import Answer, AnswerChange
from pilotis.core.school_years import current_school_year
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMMENT = "Charte votée au CA, à diffuser"


def eventually(read, expected, within=10.0):
    """What the database says once the save sent as the page was left has landed."""
    deadline = time.monotonic() + within
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def answer_of(code):
    # The live server may be writing (a save sent as the page was left): SQLite's in-memory test
    # database then refuses the read at once instead of waiting; read again.
    for attempt in range(50):
        try:
            return Answer.objects.filter(
                assessment__school__uai=COLLEGE_UAI,
                assessment__campaign__school_year=current_school_year(),
                indicator__code=code,
            ).first()
        except OperationalError:
            if attempt == 49:
                raise
            time.sleep(0.1)


def test_nothing_typed_is_lost_and_the_keyboard_records_one_change(site, demo):
    domain = f"/etablissements/{COLLEGE_UAI}/schematic/{current_school_year()}/domaines/PIL/"
    site.sign_in("rupn")
    site.visit(domain)
    page = site.page
    # The fallback buttons are hidden: the autosave is on.
    assert not page.locator('[id="bar-PIL.1.03"] button', has_text="Enregistrer").is_visible()

    # A comment typed, then a link at once: it is saved, whether or not the browser asked first.
    warned = []
    page.on("dialog", lambda dialog: (warned.append(dialog.type), dialog.accept()))
    page.locator('[id="c-PIL.1.03"]').fill(COMMENT)
    # (A page that reads no answer: the live server's in-memory SQLite would refuse to read the
    # table the save is writing, where a real database lets the reader wait or read.)
    site.submit(main_menu(site, "Mon compte"))
    assert warned in ([], ["beforeunload"])
    assert eventually(lambda: getattr(answer_of("PIL.1.03"), "comment", None), COMMENT) == COMMENT

    # Keyboard only: into the answers of PIL.1.04, three arrow keys, then on to the help.
    site.visit(domain)
    page.locator('[id="r-PIL.1.04-vide"]').focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")  # Réalisé, En cours de réalisation, Non réalisé
    assert page.locator('[id="r-PIL.1.04-non_realise"]').is_checked()
    page.keyboard.press("Tab")
    page.locator('[id="bar-PIL.1.04"] .pilotis-save-state', has_text=re.compile(r"Enregistré à \d\d:\d\d")).wait_for()
    changes = AnswerChange.objects.filter(answer=answer_of("PIL.1.04"))
    assert list(changes.values_list("status_before", "status_after")) == [("", "non_realise")]
    site.check("after a keyboard autosave", 200)

    # A locked database (503): the page says the answer is not saved, tries again, then says so.
    refused = []

    def busy_once(route):
        if refused:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.fulfill(status=503, headers={"Retry-After": "1"}, body="Réessayez dans un instant.")

    page.route("**/indicateurs/PIL.1.05/reponse/", busy_once)
    page.locator('label[for="r-PIL.1.05-realise"]').click()
    state = page.locator('[id="bar-PIL.1.05"] .pilotis-save-state')
    state.filter(has_text="Non enregistré — nouvel essai…").wait_for()
    state.filter(has_text=re.compile(r"Enregistré à \d\d:\d\d")).wait_for()
    assert refused and answer_of("PIL.1.05").status == "realise"
    # The browser logs the 503 it was sent on purpose; nothing else.
    assert [m for m in site._take_console(None, None) if "status of 503" not in m] == []
    site.assert_clean()
