"""The pages of the workshops and trainings, and the pages they add to (the letter's review, the
Formation domain's notes, Pilotage's « Ateliers et formations »), for each role that sees them: axe
clean, no console error, one <h1>, at desktop width and on a 375 px phone without sideways scroll.

Listed rather than crawled: a form or a confirmation page is reached by a person who means to."""

import pytest
from django.urls import reverse

from pilotis.assessments.models import Campaign
from pilotis.core.school_years import current_school_year
from pilotis.missions.models import MissionLetter
from pilotis.territories.models import School
from pilotis.workshops.models import Workshop
from tests.browser.conftest import COLLEGE_UAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def _records():
    year = current_school_year()
    college = School.objects.get(uai=COLLEGE_UAI)
    sessions = Workshop.objects.filter(school=college, school_year=year)
    return {
        "uai": COLLEGE_UAI,
        "year": year,
        "catalogue": sessions.get(presents_catalogue=True).pk,
        "counted": sessions.filter(participants__isnull=True).first().pk,
        "letter": MissionLetter.objects.filter(school=college).order_by("-pk").first().pk,
        "campaign": Campaign.objects.get(academy=college.department.academy, school_year=year).pk,
    }


def _school_pages(r, *, write=False) -> list[str]:
    uai = r["uai"]
    pages = [
        reverse("workshops:home", args=[uai]),
        reverse("workshops:detail", args=[uai, r["catalogue"]]),
        reverse("workshops:detail", args=[uai, r["counted"]]),
        reverse("assessments:domain", args=[uai, r["year"], "FOR"]),  # the year's workshops beside FOR.*
        reverse("territories:school_detail", args=[uai]),  # the workshops block
    ]
    if write:
        pages += [
            reverse("workshops:create", args=[uai]),
            reverse("workshops:edit", args=[uai, r["catalogue"]]),
            reverse("workshops:attendance", args=[uai, r["catalogue"]]),
            reverse("workshops:delete", args=[uai, r["catalogue"]]),
            reverse("missions:letter", args=[uai, r["letter"]]),  # the review's workshops
        ]
    return pages


PAGES = {
    "rupn": lambda r: _school_pages(r, write=True),
    "enseignant": lambda r: _school_pages(r),
    "dane": lambda r: [reverse("steering:workshops", args=[r["campaign"]]), *_school_pages(r)[:2]],
}


@pytest.mark.parametrize("username", PAGES, ids=list(PAGES))
def test_every_page_of_the_workshops_is_accessible_on_a_desktop_and_a_phone(site, demo, username):
    pages = PAGES[username](_records())
    site.sign_in(username)
    for path in pages:
        site.visit(path)
        assert site.path == path, f"{username}: {path} led to {site.path}"
    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in pages:
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"{username}: on a 375 px phone these pages scroll sideways: {too_wide}"
    site.assert_clean()
