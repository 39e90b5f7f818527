"""Every page of a school's usage fiches, for each demo role that sees it, at desktop width and on a
375 px phone: axe-core clean (`Site.visit` checks every page), one h1, no sideways scroll. The
forms and confirmations are listed, not left to the crawl: each is reached by someone who means to.
Then a teacher writes a fiche through the form, the RUPN publishes it to the académie, and a RUPN
of another département finds it in the catalogue."""

import re

import pytest
from django.urls import reverse

from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.models import Fiche
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import label, main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def _records():
    fiches = Fiche.objects.filter(school__uai=COLLEGE_UAI)
    return {
        "draft": fiches.get(state=FicheState.DRAFT).pk,
        "shared": fiches.get(state=FicheState.PUBLISHED, visibility=Visibility.ACADEMY).pk,
        "school": fiches.get(state=FicheState.PUBLISHED, visibility=Visibility.SCHOOL).pk,
    }


def _pages(r, *, member=True, write=False, publish=False):
    def url(name, *args):
        return reverse(f"fiches:{name}", args=[COLLEGE_UAI, *args])

    pages = [url("home"), url("detail", r["shared"])]
    if member:
        pages += [url("home") + "?etat=draft", url("detail", r["draft"]), url("detail", r["school"])]
    if write:
        pages += [url("create"), url("edit", r["draft"]), url("delete", r["draft"])]
    if publish:
        pages += [
            url("publish", r["draft"]) + "?diffusion=academy",  # refused: the draft is incomplete
            url("publish", r["school"]) + "?diffusion=academy",
            url("unpublish", r["shared"]),
        ]
    return pages


PAGES = {
    "direction": lambda r: _pages(r, write=True, publish=True),
    "rupn": lambda r: _pages(r, write=True, publish=True),
    "enseignant": lambda r: _pages(r, write=True),
    # The territory reads the school's fiches shared with the académie, never its drafts.
    "correspondant40": lambda r: _pages(r, member=False),
}


@pytest.mark.parametrize("username", PAGES, ids=list(PAGES))
def test_every_fiche_page_is_accessible_on_a_desktop_and_a_phone(site, demo, username):
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


def test_a_teacher_writes_a_fiche_and_the_rupn_shares_it_with_the_academie(site, demo):
    site.sign_in("enseignant")
    site.visit(reverse("fiches:home", args=[COLLEGE_UAI]))
    page = site.page
    site.submit(page.get_by_role("link", name="Écrire une fiche"))
    page.get_by_label(label("Titre")).fill("Des QCM en ligne pour réviser l'histoire (3e)")
    page.get_by_label(label("Résumé")).fill("Un questionnaire par chapitre, corrigé aussitôt.")
    page.get_by_label("3e", exact=True).check(force=True)  # the DSFR label covers its input
    page.get_by_label("Histoire-géographie", exact=True).check(force=True)  # the DSFR label covers its input
    page.get_by_label("1.1 Mener une recherche et une veille d'information").check(
        force=True
    )  # the DSFR label covers its input
    page.get_by_label(label("Outils et services utilisés")).fill("ENT, QCM")
    page.get_by_label(label("Déroulement de l'activité")).fill("1. Chapitre\n2. **QCM** sur l'ENT")
    page.get_by_label("Tous les utilisateurs de l'académie (catalogue des fiches)").check(
        force=True
    )  # the DSFR label covers its input
    site.submit(page.get_by_role("button", name="Enregistrer"))
    fiche = Fiche.objects.get(title__startswith="Des QCM")
    assert site.path == reverse("fiches:detail", args=[COLLEGE_UAI, fiche.pk])
    assert page.locator(".fiche-markdown strong").inner_text() == "QCM"
    site.submit(page.get_by_role("button", name="J’accepte d’être nommé·e"))
    site.sign_out()

    site.sign_in("rupn")
    site.visit(reverse("fiches:detail", args=[COLLEGE_UAI, fiche.pk]))
    site.submit(page.get_by_role("link", name=re.compile("^Publier pour l.académie$")))
    assert "tous les utilisateurs de l'académie" in page.locator("main").inner_text().replace("’", "'")
    site.submit(page.get_by_role("button", name=re.compile("^Publier pour l.académie$")))
    fiche.refresh_from_db()
    assert fiche.state == FicheState.PUBLISHED and fiche.visibility == Visibility.ACADEMY
    assert fiche.authors.get().named
    site.sign_out()

    # A RUPN of another département finds it in the académie's catalogue, its school and its
    # author named.
    site.sign_in("rupn64")
    site.submit(main_menu(site, "Catalogue des fiches"))
    assert site.path == reverse("fiche_catalogue:list")
    page.locator("main").get_by_role("textbox", name="Rechercher").fill("qcm histoire")
    site.submit(page.locator("main").get_by_role("button", name="Rechercher"))
    site.submit(page.get_by_role("link", name="Des QCM en ligne pour réviser l'histoire (3e)"))
    assert site.path == reverse("fiche_catalogue:fiche", args=[fiche.pk])
    main = page.locator("main").inner_text()
    assert fiche.school.name in main and "QCM" in main
    assert fiche.authors.get().user.get_full_name() in main
    site.assert_clean()
