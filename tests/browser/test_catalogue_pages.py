"""The académie's catalogue of usage fiches, page by page, for a RUPN of another département and
for the DANE: the list (searched and filtered), a fiche's page and the take-down confirmation,
axe-core clean, on a desktop and on a 375 px phone that does not scroll sideways."""

import pytest
from django.urls import reverse

from pilotis.accounts.models import User
from pilotis.territories.models import School
from tests.browser.conftest import COLLEGE_UAI
from tests.fiches.test_catalogue_support import make_fiche

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def _fiches():
    college = School.objects.get(uai=COLLEGE_UAI)
    teacher = User.objects.get(username="enseignant")
    fiche = make_fiche(
        college,
        "Tablettes en SVT : observer des cellules",
        summary="Les élèves photographient leurs préparations au microscope.",
        course="Première séance : prise en main.\n\nDeuxième séance : observation et légendes.",
        levels=["5e"],
        disciplines=["svt"],
        competences=["2.1"],
        tools=["tablettes"],
        authors=[(teacher, True)],
        featured=True,
    )
    for n in range(25):  # more than a page: the pagination is checked too
        make_fiche(college, f"Fiche d'usage {n}", summary="Le TNI en mathématiques", disciplines=["mathematiques"])
    return fiche


@pytest.mark.parametrize("username", ["rupn64", "dane"])
def test_the_catalogues_pages_are_accessible_on_a_desktop_and_a_phone(site, demo, username):
    fiche = _fiches()
    pages = [
        reverse("fiche_catalogue:list"),
        reverse("fiche_catalogue:list") + "?q=tablettes&discipline=svt&sort=title",
        reverse("fiche_catalogue:list") + "?page=2",
        reverse("fiche_catalogue:fiche", args=[fiche.pk]),
    ]
    if username == "dane":
        pages.append(reverse("fiche_catalogue:take_down", args=[fiche.pk]))
    site.sign_in(username)
    for path in pages:
        site.visit(path)
        assert site.path == path, f"{username}: {path} led to {site.path}"
    assert "Tablettes en SVT" in site.page.content()  # the fiche page, or its take-down confirmation
    site.page.set_viewport_size(PHONE)
    too_wide = {}
    for path in pages:
        site.visit(path)
        width = site.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not too_wide, f"{username}: on a 375 px phone these pages scroll sideways: {too_wide}"
    site.assert_clean()
