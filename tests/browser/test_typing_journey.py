"""Nothing a person types is lost: a comment typed and left at once by a link is saved (or the
page asks first), and a keyboard-only person moving through the answers with the arrow keys
records one change, the one settled on. The page passes axe with its save states shown."""

import re
import time

import pytest

from pilotis.assessments.models import Answer, AnswerChange
from pilotis.core.school_years import current_school_year
from tests.browser.conftest import COLLEGE_UAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMMENT = "Charte votée au CA, à diffuser"


def eventually(read, expected, within=10.0):
    """What the database says once the save sent as the page was left has landed."""
    deadline = time.monotonic() + within
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def answer_of(code):
    return Answer.objects.filter(
        assessment__school__uai=COLLEGE_UAI,
        assessment__campaign__school_year=current_school_year(),
        indicator__code=code,
    ).first()


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
    site.submit(page.get_by_role("link", name="Tableau synthétique", exact=True))
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
    site.assert_clean()
