"""Signing a letter and deleting a draft ask first (core.confirm); the school's page puts each letter's
moves on that letter's row."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.missions import services
from pilotis.missions.enums import LetterState
from pilotis.missions.models import MissionLetter
from tests.missions.conftest import FIRST_DAY, IMP, YEAR, fill


def accepted(world, letter):
    letter = services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    return services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)


def sign_url(world, letter):
    return reverse("missions:letter_sign", args=[world.school_a.uai, letter.pk])


def delete_url(world, letter):
    return reverse("missions:letter_delete", args=[world.school_a.uai, letter.pk])


def test_signing_says_what_it_does_before_it_does_it(client_for, world, draft):
    letter = accepted(world, draft)
    client = client_for("chef_a")
    response = client.get(sign_url(world, letter))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ne pourra plus changer" in html
    assert world.rupn_a.get_full_name() in html and "l&#x27;équipe de l&#x27;établissement pourront la lire" in html
    assert "1\xa0250\xa0€" in html and f"du 1er septembre {FIRST_DAY.year}" in html
    assert f'name="seen_revision" value="{letter.revision}"' in html
    assert "Aucun indicateur" not in html  # the draft follows two indicators, has its means and a main mission
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.ACCEPTED  # a GET changes nothing

    response = client.post(sign_url(world, letter), {"seen_revision": letter.revision})
    assert response.status_code == 302
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.SIGNED


def test_signing_names_what_the_letter_lacks(client_for, world, designation, campaign):
    letter = fill(services.start_letter(designation, by=world.chef_a), world.chef_a)
    entry = letter.missions.first().entry
    letter = services.update_letter(
        letter,
        fields={"training": ""},
        missions=[(entry, "secondaire")],
        indicators=[],
        seen_revision=letter.revision,
        by=world.chef_a,
    )
    letter = accepted(world, letter)
    html = client_for("chef_a").get(sign_url(world, letter)).content.decode()
    for gap in ("Aucune mission n&#x27;est principale", "Aucun indicateur SCHÉMATIC", "Aucune formation"):
        assert gap in html
    letter_url = reverse("missions:letter", args=[world.school_a.uai, letter.pk])
    assert f'href="{letter_url}#indicateurs"' in html


def test_the_sign_page_of_a_letter_not_accepted_says_why_and_offers_no_button(client_for, world, draft):
    html = client_for("chef_a").get(sign_url(world, draft)).content.decode()
    assert "doit avoir été acceptée par le RUPN" in html
    assert 'type="submit"' not in html.split("<main", 1)[1]


def test_a_stale_sign_page_signs_nothing(client_for, world, draft):
    letter = accepted(world, draft)
    client_for("chef_a").post(sign_url(world, letter), {"seen_revision": letter.revision - 1})
    assert MissionLetter.objects.get(pk=letter.pk).state == LetterState.ACCEPTED


def test_the_letter_page_links_to_the_sign_page(client_for, world, draft):
    letter = accepted(world, draft)
    html = client_for("chef_a").get(reverse("missions:letter", args=[world.school_a.uai, letter.pk])).content.decode()
    assert f'href="{sign_url(world, letter)}"' in html and f'action="{sign_url(world, letter)}"' not in html


def test_a_draft_is_deleted_after_its_confirmation_page_with_an_audit_row(client_for, world, draft):
    client = client_for("chef_a")
    letter_page = client.get(reverse("missions:letter", args=[world.school_a.uai, draft.pk])).content.decode()
    assert f'href="{delete_url(world, draft)}"' in letter_page
    page = client.get(delete_url(world, draft))
    assert page.status_code == 200 and "cela ne peut pas être annulé" in page.content.decode()
    assert MissionLetter.objects.filter(pk=draft.pk).exists()

    response = client.post(delete_url(world, draft), {"seen_revision": draft.revision})
    assert response.status_code == 302 and response["Location"] == reverse("missions:school", args=[world.school_a.uai])
    assert not MissionLetter.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.LETTER_DELETED)
    assert event.actor == world.chef_a and event.object_id == str(draft.pk) and event.before["state"] == "brouillon"
    assert len(event.before["missions"]) == 3
    assert draft.designation in type(draft.designation).objects.all()  # the designation stays


@pytest.mark.parametrize("state", ["proposee", "signee"])
def test_only_a_draft_can_be_deleted(client_for, world, draft, state):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    if state == "signee":
        letter = services.accept_letter(letter, by=world.rupn_a, seen_revision=letter.revision)
        letter = services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    client = client_for("chef_a")
    page = client.get(delete_url(world, letter)).content.decode()
    assert "Seul un brouillon peut être supprimé" in page and 'type="submit"' not in page.split("<main", 1)[1]
    client.post(delete_url(world, letter), {"seen_revision": letter.revision})
    assert MissionLetter.objects.get(pk=letter.pk).state == state
    with pytest.raises(ValidationError):
        services.delete_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    assert not AuditEvent.objects.filter(action=AuditAction.LETTER_DELETED).exists()


def test_the_rupn_cannot_delete_the_draft(client_for, world, draft):
    response = client_for("rupn_a").post(delete_url(world, draft), {"seen_revision": draft.revision})
    assert response.status_code == 403
    assert MissionLetter.objects.filter(pk=draft.pk).exists()


def rows(html, letter):
    """The <tr> holding the letter's « Ouvrir » link."""
    link = reverse("missions:letter", args=[letter.school.uai, letter.pk])
    return [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if f'href="{link}"' in row]


def test_each_letter_carries_its_own_actions_on_the_schools_page(client_for, world, signed):
    previous_year = f"{int(YEAR[:4]) - 1}-{int(YEAR[:4])}"
    first, last = services.school_year_bounds(previous_year)
    old = services.designate(
        world.school_a,
        user=world.member_a,
        school_year=previous_year,
        starts_on=first,
        ends_on=last,
        imp_amount=IMP,
        by=world.chef_a,
    )
    old_letter = fill(services.start_letter(old, by=world.chef_a), world.chef_a)
    old_letter = accepted_by(world, old_letter, world.member_a)
    new_version = services.supersede_letter(signed, by=world.chef_a, seen_revision=signed.revision)

    html = client_for("chef_a").get(reverse("missions:school", args=[world.school_a.uai])).content.decode()
    (draft_row,) = rows(html, new_version)
    assert f'href="{delete_url(world, new_version)}"' in draft_row and "Proposer au RUPN" in draft_row
    (signed_row,) = rows(html, signed)
    assert "Supprimer" not in signed_row and "Nouvelle version" not in signed_row  # one open letter at a time
    (old_row,) = rows(html, old_letter)
    # Last year's letter is history: it is read, not redone.
    assert "Nouvelle version" not in old_row and "Rédiger" not in old_row and "Ouvrir" in old_row
    assert "Rédiger la lettre" not in html and "Nouvelle lettre" not in html


def accepted_by(world, letter, rupn):
    letter = services.propose_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    letter = services.accept_letter(letter, by=rupn, seen_revision=letter.revision)
    return services.sign_letter(letter, by=world.chef_a, seen_revision=letter.revision)


def test_a_signed_letter_of_the_year_offers_a_new_version_and_a_waiting_one_its_moves(client_for, world, signed):
    html = client_for("chef_a").get(reverse("missions:school", args=[world.school_a.uai])).content.decode()
    (row,) = rows(html, signed)
    assert reverse("missions:letter_supersede", args=[world.school_a.uai, signed.pk]) in row

    rupn_html = client_for("rupn_a").get(reverse("missions:school", args=[world.school_a.uai])).content.decode()
    (row,) = rows(rupn_html, signed)
    assert "Nouvelle version" not in row and "Ouvrir" in row


def test_a_proposed_letter_asks_the_rupn_on_its_row(client_for, world, draft):
    letter = services.propose_letter(draft, by=world.chef_a, seen_revision=draft.revision)
    html = client_for("rupn_a").get(reverse("missions:school", args=[world.school_a.uai])).content.decode()
    (row,) = rows(html, letter)
    assert "Lire et répondre" in row
    chef_html = client_for("chef_a").get(reverse("missions:school", args=[world.school_a.uai])).content.decode()
    (row,) = rows(chef_html, letter)
    assert "Reprendre pour modifier" in row and "Lire et répondre" not in row


def test_a_designation_without_a_letter_offers_to_write_one_on_its_row(client_for, world, designation):
    html = client_for("chef_a").get(reverse("missions:school", args=[world.school_a.uai])).content.decode()
    assert reverse("missions:letter_start", args=[world.school_a.uai, designation.pk]) in html
