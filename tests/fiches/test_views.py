"""The school's fiche pages: what each reader sees, bad input, stale edits, confirmations, and
query counts that do not grow with the fiches."""

import html

import pytest
from django.urls import reverse

from pilotis.accounts.enums import SchoolRole
from pilotis.fiches import services
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.models import Fiche
from tests.factories import MembershipFactory, UserFactory
from tests.fiches.helpers import draft, form_data, published


def url(name, world, *args):
    return reverse(f"fiches:{name}", args=[world.school_a.uai, *args])


def page(response):
    """The page's text, entities decoded and apostrophes straight, to compare with plain strings."""
    return " ".join(html.unescape(response.content.decode()).replace("\u2019", "'").split())


# --- What leaves the school ---------------------------------------------------------------------


def test_a_draft_never_leaves_the_school(world, client_for):
    fiche = draft(world, title="Brouillon secret")
    for persona in ("correspondant_40", "dane", "rupn_b", "dane_rennes"):
        assert client_for(persona).get(url("detail", world, fiche.pk)).status_code == 404
        client_for(persona).logout()
    assert not Fiche.objects.for_user(world.rupn_b).exists()
    assert not Fiche.objects.for_user(world.dane).exists()
    response = client_for("correspondant_40").get(url("home", world))
    assert response.status_code == 200 and "Brouillon secret" not in page(response)


def test_a_fiche_published_for_the_school_stays_in_it(world, client_for):
    fiche = published(world, Visibility.SCHOOL, title="Pour l'équipe")
    assert client_for("member_a").get(url("detail", world, fiche.pk)).status_code == 200
    client_for("member_a").logout()
    # The territory follows the school, but reads its fiches through the catalogue only.
    assert client_for("correspondant_40").get(url("detail", world, fiche.pk)).status_code == 404
    assert not Fiche.objects.for_user(world.rupn_b).exists()


def test_a_fiche_shared_with_the_academie_is_read_across_it_only(world, client_for):
    fiche = published(world, Visibility.ACADEMY)
    assert list(Fiche.objects.for_user(world.rupn_b)) == [fiche]
    assert list(Fiche.objects.for_user(world.dane)) == [fiche]
    assert not Fiche.objects.for_user(world.chef_c).exists()
    assert not Fiche.objects.for_user(world.dane_rennes).exists()
    assert client_for("correspondant_40").get(url("detail", world, fiche.pk)).status_code == 200
    services.unpublish(fiche, by=world.rupn_a)
    assert not Fiche.objects.for_user(world.rupn_b).exists()
    assert client_for("correspondant_40").get(url("detail", world, fiche.pk)).status_code == 404


def test_author_names_not_agreed_never_leave_the_school(world, client_for):
    world.member_a.first_name, world.member_a.last_name = "Sophie", "Lafitte"
    world.member_a.save()
    world.rupn_a.first_name, world.rupn_a.last_name = "Julien", "Larrieu"
    world.rupn_a.save()
    fiche = published(world, Visibility.ACADEMY, authors=[world.member_a, world.rupn_a])
    services.set_named(fiche, by=world.rupn_a, named=True)
    outside = page(client_for("correspondant_40").get(url("detail", world, fiche.pk)))
    assert "Julien Larrieu" in outside and "Un membre de l'équipe" in outside
    assert "Lafitte" not in outside
    client_for("correspondant_40").logout()
    inside = page(client_for("chef_a").get(url("detail", world, fiche.pk)))
    assert "Sophie Lafitte" in inside and "Julien Larrieu" in inside


def test_the_consent_button_is_the_authors(world, client_for):
    fiche = draft(world)
    client = client_for("member_a")
    assert "J'accepte d'être nommé·e" in page(client.get(url("detail", world, fiche.pk)))
    response = client.post(url("consent", world, fiche.pk), {"named": "1"})
    assert response.status_code == 302
    assert fiche.authors.get().named
    assert "Je retire mon accord" in page(client.get(url("detail", world, fiche.pk)))
    client.logout()
    assert "J'accepte" not in page(client_for("chef_a").get(url("detail", world, fiche.pk)))


# --- The list ---------------------------------------------------------------------------------------


def test_a_teacher_lists_theirs_and_the_published_ones(world, client_for):
    colleague = MembershipFactory(
        user=UserFactory(username="collegue"), school=world.school_a, role=SchoolRole.MEMBRE
    ).user
    draft(world, title="Mon brouillon")
    draft(world, by=colleague, title="Brouillon d'un collègue")
    published(world, Visibility.SCHOOL, by=colleague, title="Publiée par un collègue")
    text = page(client_for("member_a").get(url("home", world)))
    assert "Mon brouillon" in text and "Publiée par un collègue" in text
    assert "Brouillon d'un collègue" not in text
    client_for("member_a").logout()
    text = page(client_for("rupn_a").get(url("home", world)))
    assert "Brouillon d'un collègue" in text and "Mon brouillon" in text
    text = page(client_for("rupn_a").get(url("home", world) + "?etat=draft"))
    assert "Publiée par un collègue" not in text and "Mon brouillon" in text


def test_the_list_is_paginated(world, client_for):
    for n in range(23):
        draft(world, title=f"Fiche {n:02d}")
    first = page(client_for("rupn_a").get(url("home", world)))
    second = page(client_for("rupn_a").get(url("home", world) + "?page=2"))
    assert "Fiche 22" in first and "Fiche 02" not in first
    assert "Fiche 02" in second and "Page suivante" in first


# --- The form -----------------------------------------------------------------------------------------


def test_writing_a_fiche_from_the_form(world, client_for):
    response = client_for("member_a").post(url("create", world), form_data(world))
    fiche = Fiche.objects.get()
    assert response.status_code == 302 and response.url == url("detail", world, fiche.pk)
    assert fiche.state == FicheState.DRAFT and fiche.visibility == Visibility.ACADEMY
    assert fiche.duration_minutes == 55 and fiche.pupils == 27


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Ce champ est obligatoire."),
        ("levels", ["7E"], "Sélectionnez un choix valide. 7E n'en fait pas partie."),
        ("competences", ["9.9"], "9.9 n'en fait pas partie."),
        ("tools", ", ".join(f"outil {n}" for n in range(12)), "au plus 10 outils"),
        ("duration_minutes", "-5", "Une séance dure au moins 5 minutes."),
        ("pupils", "beaucoup", "Indiquez un nombre entier d'élèves."),
        ("authors", [], "Cochez au moins un auteur"),
        ("school_year", "1999-2000", "1999-2000 n'en fait pas partie."),
        ("title", "Titre\u202ecaché", "caractères non autorisés"),
    ],
)
def test_bad_input_is_said_in_french_and_what_was_typed_is_kept(world, client_for, field, value, message):
    data = form_data(world, **{field: value}, course="Mon déroulement tapé")
    response = client_for("member_a").post(url("create", world), data)
    assert response.status_code == 400
    text = page(response)
    assert message in text
    assert "Mon déroulement tapé" in text and "La fiche n'a pas été enregistrée" in text
    assert not Fiche.objects.exists()


def test_a_stale_edit_shows_what_was_typed(world, client_for):
    fiche = draft(world)
    services.update_fiche(
        fiche,
        by=world.rupn_a,
        data=services.FicheInput(**{**_input_of(fiche), "title": "Par le RUPN"}),
        seen_revision=0,
    )
    response = client_for("member_a").post(
        url("edit", world, fiche.pk), form_data(world, title="Ma version", seen_revision="0")
    )
    assert response.status_code == 400
    text = page(response)
    assert "Quelqu'un a modifié cette fiche" in text and 'value="Ma version"' in text
    assert Fiche.objects.get().title == "Par le RUPN"


def _input_of(fiche):
    return {
        "title": fiche.title,
        "summary": fiche.summary,
        "course": fiche.course,
        "levels": ["5E"],
        "disciplines": ["MATHS"],
    }


# --- Confirmations ------------------------------------------------------------------------------------


def test_the_publish_page_says_who_will_read_it_and_what_is_missing(world, client_for):
    incomplete = draft(world, summary="", levels=[])
    client = client_for("rupn_a")
    text = page(client.get(url("publish", world, incomplete.pk) + "?diffusion=academy"))
    assert "tous les utilisateurs de l'académie" in text
    assert "un résumé" in text and "au moins un niveau" in text and "Complétez la fiche" in text
    assert 'type="submit"' not in text.split("Complétez la fiche")[1]
    response = client.post(url("publish", world, incomplete.pk), {"visibility": "academy"})
    assert response.status_code == 400 and Fiche.objects.get(pk=incomplete.pk).state == FicheState.DRAFT
    complete = draft(world)
    text = page(client.get(url("publish", world, complete.pk) + "?diffusion=school"))
    assert "l'équipe de l'établissement" in text
    response = client.post(url("publish", world, complete.pk), {"visibility": "school", "seen_revision": "0"})
    assert response.status_code == 302
    complete.refresh_from_db()
    assert complete.state == FicheState.PUBLISHED and complete.visibility == Visibility.SCHOOL


def test_deleting_asks_first_and_refuses_a_published_fiche(world, client_for):
    fiche = published(world)
    client = client_for("rupn_a")
    text = page(client.get(url("delete", world, fiche.pk)))
    assert "repassez-la d'abord en brouillon" in text
    client.post(url("delete", world, fiche.pk))
    assert Fiche.objects.filter(pk=fiche.pk).exists()
    doomed = draft(world)
    assert "ne peut pas être annulé" in page(client.get(url("delete", world, doomed.pk)))
    assert client.post(url("delete", world, doomed.pk)).status_code == 302
    assert not Fiche.objects.filter(pk=doomed.pk).exists()


# --- Query counts -------------------------------------------------------------------------------------


def _count(client, path, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["rupn_a", "member_a", "correspondant_40"])
def test_the_pages_queries_do_not_grow_with_the_fiches(world, client_for, django_assert_max_num_queries, persona):
    fiche = published(world, authors=[world.member_a, world.rupn_a, world.chef_a])
    client = client_for(persona)
    client.get(url("home", world))  # the session's first request reads what later ones find cached
    before = {
        path: _count(client, path, django_assert_max_num_queries, 40)
        for path in (url("home", world), url("detail", world, fiche.pk))
        + ((url("edit", world, fiche.pk),) if persona != "correspondant_40" else ())
    }
    for n in range(15):
        published(world, title=f"Autre {n}", tools=[f"Outil {n}", "ENT"], authors=[world.member_a, world.rupn_a])
    services.update_fiche(
        fiche,
        by=world.rupn_a,
        data=services.FicheInput(
            **_input_of(fiche), tools=[f"T{n}" for n in range(10)], competences=["1.1", "2.2", "3.4", "4.1"]
        ),
        seen_revision=None,
    )
    after = {path: _count(client, path, django_assert_max_num_queries, 40) for path in before}
    assert after == before


def test_editing_a_published_fiche_leaves_who_reads_it_to_publishing(world, client_for):
    fiche = published(world, Visibility.ACADEMY)
    client = client_for("member_a")
    assert "la direction ou le RUPN la publie à nouveau" in page(client.get(url("edit", world, fiche.pk)))
    response = client.post(
        url("edit", world, fiche.pk),
        form_data(world, title="Corrigée", visibility="school", seen_revision=str(fiche.revision)),
    )
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert fiche.title == "Corrigée" and fiche.visibility == Visibility.ACADEMY
    assert fiche.state == FicheState.PUBLISHED


def test_publishing_to_the_academie_says_who_will_be_named(world, client_for):
    world.member_a.first_name, world.member_a.last_name = "Sophie", "Lafitte"
    world.member_a.save()
    world.rupn_a.first_name, world.rupn_a.last_name = "Julien", "Larrieu"
    world.rupn_a.save()
    fiche = draft(world, authors=[world.member_a, world.rupn_a])
    services.set_named(fiche, by=world.member_a, named=True)
    text = page(client_for("rupn_a").get(url("publish", world, fiche.pk) + "?diffusion=academy"))
    assert "Nommés, car ils l'ont accepté : Sophie Lafitte." in text
    assert "Désignés comme « Un membre de l'équipe », faute de leur accord : Julien Larrieu." in text
