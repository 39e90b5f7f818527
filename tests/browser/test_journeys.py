"""Short journeys through the real forms, every page checked as in test_accessibility."""

import re
from urllib.parse import urlsplit

import pytest

from pilotis.accounts.enums import SchoolRole
from tests.browser.conftest import COLLEGE_UAI
from tests.browser.pages import MembersPage, SignInPage, label, main_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_MEMBER = "camille.durand@example.org"
NEW_PASSWORD = "une phrase de passe assez longue"


def test_direction_invites_a_member_who_chooses_a_password(site, demo, mailoutbox):
    member, rupn = str(SchoolRole.MEMBRE.label), str(SchoolRole.RUPN.label)
    site.sign_in("direction")
    site.submit(main_menu(site, "Équipe"))
    members = MembersPage(site)
    assert site.path == MembersPage.path(COLLEGE_UAI)
    assert members.row(NEW_MEMBER).count() == 0

    members.invite(email=NEW_MEMBER, first_name="Camille", last_name="Durand", role=member)
    assert site.path == MembersPage.path(COLLEGE_UAI)
    assert members.success_message() == (
        f"Camille Durand ({NEW_MEMBER}) a été ajouté(e) à l'équipe et a reçu un courriel d'invitation."
    )
    row = members.row(NEW_MEMBER)
    assert row.count() == 1
    assert "Camille Durand" in row.inner_text() and member in row.inner_text()
    (invitation,) = mailoutbox
    assert invitation.to == [NEW_MEMBER]

    members.change_role(NEW_MEMBER, rupn)
    assert members.success_message() == f"Le rôle de Camille Durand est maintenant : {rupn}."
    assert members.row(NEW_MEMBER).get_by_role("combobox").input_value() == SchoolRole.RUPN.value
    site.sign_out()
    assert site.path.startswith(SignInPage.PATH)

    # The RUPN sees the team, and none of the management forms.
    site.sign_in("rupn")
    site.submit(main_menu(site, "Équipe"))
    assert site.path == MembersPage.path(COLLEGE_UAI)
    assert rupn in members.row(NEW_MEMBER).inner_text()
    assert members.invite_form().count() == 0
    assert members.role_selects().count() == 0
    assert site.page.get_by_role("button", name="Retirer").count() == 0
    assert site.page.get_by_role("columnheader", name="Actions").count() == 0
    site.sign_out()

    # Camille follows the link of the invitation, chooses a password and signs in with her e-mail.
    link = re.search(r"https?://\S+/compte/mot-de-passe/nouveau/\S+", invitation.body).group(0)
    site.visit(urlsplit(link).path)
    site.page.get_by_label(label("Nouveau mot de passe")).fill(NEW_PASSWORD)
    site.page.get_by_label(label("Confirmation du nouveau mot de passe")).fill(NEW_PASSWORD)
    site.submit(site.page.get_by_role("button", name="Enregistrer le mot de passe"))
    assert site.path == "/compte/mot-de-passe/nouveau/termine/"
    site.submit(site.page.get_by_role("link", name="Se connecter"))
    site.sign_in(NEW_MEMBER, NEW_PASSWORD)
    assert site.path == f"/etablissements/{COLLEGE_UAI}/"

    site.assert_clean()


def test_sign_in_by_email_and_the_password_reset(site, demo, mailoutbox):
    sign_in = SignInPage(site)
    site.visit(SignInPage.PATH)
    site.sign_in("correspondant64", "not-the-password")
    assert site.path == SignInPage.PATH
    assert "Identifiant ou mot de passe incorrect." in sign_in.error()

    site.sign_in("correspondant64@demo.pilotis.example.org")
    assert site.path == "/etablissements/"
    # The production-like cookies, kept by Chromium over plain HTTP on localhost.
    cookies = {c["name"]: c for c in site.page.context.cookies()}
    assert set(cookies) == {"__Host-sessionid", "__Host-csrftoken"}
    assert all(c["secure"] and c["httpOnly"] and c["sameSite"] == "Lax" for c in cookies.values())
    site.sign_out()

    site.submit(site.page.get_by_role("link", name="Mot de passe oublié ou première connexion ?"))
    site.page.get_by_label(label("Adresse électronique")).fill("rupn64@demo.pilotis.example.org")
    site.submit(site.page.get_by_role("button", name="Recevoir le lien"))
    assert site.path == "/compte/mot-de-passe/oubli/envoye/"
    assert [m.to for m in mailoutbox] == [["rupn64@demo.pilotis.example.org"]]

    site.visit("/cette-page-n-existe-pas/", status=404)  # the error page, signed out
    site.assert_clean()


def test_the_skip_link_is_the_first_stop_of_the_keyboard(site, demo):
    site.sign_in("direction")
    assert site.path == f"/etablissements/{COLLEGE_UAI}/"
    page = site.page
    focused = (
        "() => ({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})"
    )

    page.keyboard.press("Tab")
    assert page.evaluate(focused) == {"text": "Contenu", "href": "#contenu"}
    box = page.locator(":focus").bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 0, "the focused skip link must be visible"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('contenu').contains(document.activeElement)")
    assert page.evaluate("() => document.activeElement !== document.getElementById('contenu')")
    site.assert_clean()


def test_the_checks_catch_what_they_should(site, live_server, tmp_path):
    """The harness itself: a page with known faults must not pass."""
    site.visit(SignInPage.PATH)
    site.assert_clean()
    site.page.evaluate(
        """() => {
            document.querySelector("main").append(
                Object.assign(document.createElement("img"), {src: "/static/missing.png"}),
                Object.assign(document.createElement("h1"), {textContent: "Un second titre"}),
                Object.assign(document.createElement("script"), {textContent: "window.inline = 1"}),
            );
        }"""
    )
    site.page.wait_for_timeout(200)  # the image's 404 and the CSP refusal reach the console
    visit = site.check("the sign-in page, tampered with", 200)
    problems = "\n".join(visit.problems)
    assert "axe image-alt" in problems
    assert "2 <h1> instead of one" in problems
    assert "Content Security Policy" in problems
    assert "status of 404" in problems
    with pytest.raises(pytest.fail.Exception, match="1 of 2 pages have problems"):
        site.assert_clean()

    site.save_screenshots(tmp_path)
    assert len(list(tmp_path.glob("*.jpeg"))) == 2
