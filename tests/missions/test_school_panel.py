"""The school's page says who is this year's RUPN, where their letter stands, and the next step
of whoever is looking: the chef drafts, proposes and signs, the RUPN answers."""

import pytest
from django.urls import reverse

from pilotis.missions import services

pytestmark = pytest.mark.django_db


def _page(client_for, persona, school) -> str:
    response = client_for(persona).get(reverse("territories:school_detail", args=[school.uai]))
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_rupn_the_page_says_so(client_for, world):
    page = _page(client_for, "chef_a", world.school_a)
    assert "Aucun RUPN n’est désigné pour cette année scolaire." in page
    assert "Gérer la mission du RUPN" in page
    assert "Voir la mission du RUPN" in _page(client_for, "member_a", world.school_a)


def test_the_letter_moves_and_each_is_told_their_step(client_for, world, designation, draft):
    name = designation.user_label
    assert f"La lettre de {name} est en brouillon : complétez-la et proposez-la." in _page(
        client_for, "chef_a", world.school_a
    )
    # A draft is the direction's and the RUPN's business: the team sees the RUPN, not the letter.
    team = _page(client_for, "member_a", world.school_a)
    assert (
        name in team
        and "Brouillon" not in team
        and reverse("missions:letter", args=[world.school_a.uai, draft.pk]) not in team
    )

    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    assert "Votre lettre de mission vous attend" in _page(client_for, "rupn_a", world.school_a)
    assert f"La lettre attend la réponse de {name}." in _page(client_for, "chef_a", world.school_a)

    letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
    assert f"{name} a accepté sa lettre : signez-la." in _page(client_for, "chef_a", world.school_a)
    assert "Votre lettre de mission vous attend" not in _page(client_for, "rupn_a", world.school_a)

    services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    for persona in ("member_a", "correspondant_40"):
        page = _page(client_for, persona, world.school_a)
        assert "Signée" in page
        assert reverse("missions:letter", args=[world.school_a.uai, letter.pk]) in page
    assert "signez-la" not in _page(client_for, "chef_a", world.school_a)


def test_an_ended_designation_is_not_this_years_rupn(client_for, world, designation):
    services.end_designation(designation, on=designation.starts_on, by=world.chef_a)
    assert "Aucun RUPN n’est désigné pour cette année scolaire." in _page(client_for, "chef_a", world.school_a)
