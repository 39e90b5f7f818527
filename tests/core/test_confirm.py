"""The confirmation page every irreversible action goes through (core.confirm)."""

from django.test import RequestFactory

from pilotis.core.confirm import Confirmation, Link, confirmation_page
from tests.factories import UserFactory


def _render(confirmation):
    request = RequestFactory().get("/x/")
    request.user = UserFactory()
    request.csp_nonce = "n"
    return confirmation_page(request, confirmation).content.decode()


def test_says_what_will_happen_and_posts_to_the_action(db):
    html = _render(
        Confirmation(
            title="Valider l'autodiagnostic",
            action_label="Valider",
            cancel_url="/retour/",
            action_url="/valider/",
            consequences=["Les réponses ne pourront plus être modifiées."],
            warnings_title="6 indicateurs sans réponse",
            warnings=[Link("PIL.1.01 — Le projet", "/pil/#PIL.1.01")],
            hidden={"revision": "3"},
        )
    )
    assert "Les réponses ne pourront plus être modifiées." in html
    assert "6 indicateurs sans réponse" in html
    assert '<a href="/pil/#PIL.1.01">PIL.1.01 — Le projet</a>' in html
    assert 'action="/valider/"' in html
    assert 'name="revision" value="3"' in html
    assert 'href="/retour/">Annuler</a>' in html


def test_a_refused_action_offers_no_button(db):
    html = _render(
        Confirmation(title="Supprimer", action_label="Supprimer", cancel_url="/r/", refusal="Déjà commencé.")
    )
    assert "Déjà commencé." in html
    assert "<form" not in html.split('id="contenu"')[1]
