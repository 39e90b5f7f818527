"""The académie's catalogue: who sees what (page, fiche, feed, exports, counts), the search and
the filters, the order, the capped count, and the page's cost."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pilotis.accounts.context_processors import menu_links
from pilotis.fiches import catalogue as catalogue_module
from pilotis.fiches.enums import FicheState, Visibility
from pilotis.fiches.exports import FIELDS
from pilotis.fiches.search import FicheListing, FicheWord, index_fiche, normalise_words, prefix_bounds, rebuild_index
from tests.factories import SchoolFactory
from tests.fiches.test_catalogue_support import make_fiche

LIST = reverse("fiche_catalogue:list")


def titles(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [fiche.title for fiche, _shown in response.context["page_obj"].fiches]


@pytest.fixture
def fiches(world):
    """School A (Landes) and B (Pyrénées-Atlantiques) of Bordeaux, C of Rennes."""
    return {
        "shared_a": make_fiche(
            world.school_a,
            "Tablettes en SVT",
            summary="Observer des cellules avec les tablettes",
            course="Les élèves photographient leurs préparations au microscope.",
            levels=["5E"],
            disciplines=["SVT"],
            competences=["2.1"],
            tools=["tablettes"],
            days_ago=3,
        ),
        "shared_b": make_fiche(
            world.school_b,
            "Éducation aux médias numériques",
            summary="Vérifier une information en ligne",
            levels=["2GT"],
            disciplines=["EMC"],
            competences=["1.1"],
            tools=["ent", "pix"],
            days_ago=1,
        ),
        "draft_a": make_fiche(
            world.school_a, "Brouillon secret tablettes", state=FicheState.DRAFT, disciplines=["SVT"]
        ),
        "school_only_a": make_fiche(
            world.school_a, "Interne tablettes", visibility=Visibility.SCHOOL, disciplines=["SVT"]
        ),
        "taken_down_a": _taken_down(make_fiche(world.school_a, "Retirée tablettes", disciplines=["SVT"])),
        "shared_c": make_fiche(world.school_c, "Fiche de Rennes tablettes", disciplines=["SVT"]),
    }


def _taken_down(fiche):
    from django.utils import timezone

    fiche.taken_down_at = timezone.now()
    fiche.taken_down_reason = "Contenu à revoir"
    fiche.save()
    index_fiche(fiche)
    return fiche


HIDDEN = ("Brouillon secret tablettes", "Interne tablettes", "Retirée tablettes", "Fiche de Rennes tablettes")


# --- Words --------------------------------------------------------------------------------------


def test_words_are_lower_case_without_accents_or_stop_words():
    assert normalise_words("L'Éducation aux MÉDIAS, œuvre n° 3e") == ["education", "medias", "oeuvre", "3e"]


def test_a_prefix_is_a_range_of_the_index():
    assert prefix_bounds("numer") == ("numer", "numes")
    low, high = prefix_bounds("tab")
    assert all(low <= word < high for word in ["tab", "tablette", "tableur"])
    assert not any(low <= word < high for word in ["ta", "tac", "taa"])


# --- Scope ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["rupn_a", "member_a", "rupn_b", "correspondant_64", "dane"])
def test_the_catalogue_shows_only_published_shared_fiches_of_the_academie(client_for, fiches, persona):
    shown = titles(client_for(persona))
    assert sorted(shown) == sorted(["Tablettes en SVT", "Éducation aux médias numériques"])
    page = client_for(persona).get(LIST, {"q": "tablettes"}).content.decode()
    assert not any(title in page for title in HIDDEN)
    assert "1 fiche" in page


def test_a_rupn_of_another_departement_reads_a_shared_fiche_and_its_school(client_for, world, fiches):
    page = client_for("rupn_b").get(reverse("fiche_catalogue:fiche", args=[fiches["shared_a"].pk]))
    assert page.status_code == 200
    assert "Collège Alpha des Landes" in page.content.decode()


@pytest.mark.parametrize("which", ["draft_a", "school_only_a", "taken_down_a", "shared_c"])
def test_a_fiche_out_of_the_catalogue_does_not_exist_for_another_school(client_for, fiches, which):
    assert client_for("rupn_b").get(reverse("fiche_catalogue:fiche", args=[fiches[which].pk])).status_code == 404


def test_another_academie_sees_none_of_bordeaux(client_for, fiches):
    assert titles(client_for("chef_c")) == ["Fiche de Rennes tablettes"]
    assert titles(client_for("dane_rennes")) == ["Fiche de Rennes tablettes"]
    response = client_for("dane_rennes").get(reverse("fiche_catalogue:fiche", args=[fiches["shared_a"].pk]))
    assert response.status_code == 404


def test_nobody_without_an_academie_has_no_catalogue(client_for, fiches):
    assert client_for("nobody").get(LIST).status_code == 404
    assert client_for("nobody").get(reverse("fiche_catalogue:feed")).status_code == 404


def test_the_feed_and_exports_hold_the_same_scope(client_for, fiches):
    client = client_for("rupn_b")
    feed = client.get(reverse("fiche_catalogue:feed")).content.decode()
    assert "Tablettes en SVT" in feed and "<feed" in feed
    csv = b"".join(client.get(reverse("fiche_catalogue:export", args=["csv"])).streaming_content).decode("utf-8-sig")
    data = json.loads(b"".join(client.get(reverse("fiche_catalogue:export", args=["json"])).streaming_content))
    for text in (feed, csv, json.dumps(data, ensure_ascii=False)):
        assert not any(title in text for title in HIDDEN)
    assert {f["title"] for f in data["fiches"]} == {"Tablettes en SVT", "Éducation aux médias numériques"}
    assert csv.count("\r\n") == 3  # the header and two fiches


def test_a_member_reads_the_schools_own_fiche_off_the_catalogue(client_for, fiches):
    page = client_for("member_a").get(reverse("fiche_catalogue:fiche", args=[fiches["taken_down_a"].pk]))
    assert page.status_code == 200
    assert "Contenu à revoir" in page.content.decode()  # the reason, told to the school


def test_author_names_not_agreed_never_leave_the_school(client_for, world):
    fiche = make_fiche(world.school_a, "Podcast en anglais", authors=[(world.member_a, False), (world.rupn_a, True)])
    world.rupn_a.first_name, world.rupn_a.last_name = "Rosa", "Nommée"
    world.rupn_a.save()
    world.member_a.first_name, world.member_a.last_name = "Marc", "Discret"
    world.member_a.save()
    url = reverse("fiche_catalogue:fiche", args=[fiche.pk])
    outside = client_for("rupn_b").get(url).content.decode()
    assert "Rosa Nommée" in outside and "Discret" not in outside
    inside = client_for("chef_a").get(url).content.decode()
    assert "Discret" in inside


# --- Search and filters -------------------------------------------------------------------------------


def test_search_ignores_case_and_accents_and_matches_prefixes(client_for, fiches):
    client = client_for("dane")
    assert titles(client, q="EDUCATION") == ["Éducation aux médias numériques"]
    assert titles(client, q="numériq") == ["Éducation aux médias numériques"]
    assert titles(client, q="microscope") == ["Tablettes en SVT"]  # the course
    assert titles(client, q="pix") == ["Éducation aux médias numériques"]  # a tool
    assert titles(client, q="tablettes médias") == []  # every word must match
    assert titles(client, q="le la les") == ["Éducation aux médias numériques", "Tablettes en SVT"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"discipline": "SVT"}, ["Tablettes en SVT"]),
        ({"level": "2GT"}, ["Éducation aux médias numériques"]),
        ({"competence": "2.1"}, ["Tablettes en SVT"]),
        ({"tool": "  PIX "}, ["Éducation aux médias numériques"]),
        ({"school_kind": "lycee_gt"}, ["Éducation aux médias numériques"]),
        ({"discipline": "SVT", "level": "2GT"}, []),
    ],
)
def test_filters(client_for, fiches, params, expected):
    assert titles(client_for("dane"), **params) == expected


def test_the_departement_filter_offers_the_academies_departements_only(client_for, world, fiches):
    client = client_for("rupn_b")
    assert titles(client, department=world.landes.pk) == ["Tablettes en SVT"]
    response = client.get(LIST, {"department": world.ille.pk})
    assert [str(n) for n in response.context["notices"]] == [
        "Certains filtres n'étaient pas valides : ils ont été ignorés."
    ]
    assert len(response.context["page_obj"].fiches) == 2  # the filter is ignored, and said so


def test_order_by_date_or_title_featured_first(client_for, world, fiches):
    client = client_for("dane")
    assert titles(client) == ["Éducation aux médias numériques", "Tablettes en SVT"]
    assert titles(client, sort="title") == ["Éducation aux médias numériques", "Tablettes en SVT"]
    make_fiche(world.school_a, "Ancienne mise en avant", days_ago=300, featured=True)
    make_fiche(world.school_a, "Zèbre", days_ago=2)
    assert titles(client) == ["Ancienne mise en avant", "Éducation aux médias numériques", "Zèbre", "Tablettes en SVT"]
    assert titles(client, sort="title") == [
        "Ancienne mise en avant",
        "Éducation aux médias numériques",
        "Tablettes en SVT",
        "Zèbre",
    ]


def test_pages_of_twenty_and_a_capped_count(client_for, world, monkeypatch):
    for n in range(45):
        make_fiche(world.school_a, f"Fiche {n:02d}", days_ago=n + 1)
    client = client_for("dane")
    page = client.get(LIST, {"page": 3}).context["page_obj"]
    assert page.paginator.count == 45 and len(page.fiches) == 5 and not page.capped
    monkeypatch.setattr(catalogue_module, "COUNT_CAP", 30)
    response = client.get(LIST)
    assert response.context["page_obj"].capped and response.context["page_obj"].paginator.num_pages == 2
    assert "Plus de 30 fiches" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_catalogue(client_for, world, fiches):
    client = client_for("rupn_b")
    params = {"q": "tablettes", "discipline": "SVT", "sort": "date"}
    client.get(LIST, params)  # warm the session and the scope's cache

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST, params).status_code == 200
        return len(queries)

    before = count()
    school = SchoolFactory(department=world.gironde)
    for n in range(30):
        make_fiche(school, f"Tablettes {n}", disciplines=["SVT"], levels=["6E", "5E"], tools=["tablettes", "ent"])
    after = count()
    assert after == before
    assert len(client.get(LIST, params).context["page_obj"].fiches) == 20


# --- The index ---------------------------------------------------------------------------------------


def test_the_index_follows_the_fiche_out_of_the_catalogue(world):
    fiche = make_fiche(world.school_a, "Robotique au collège", course="Des robots programmables")
    assert FicheListing.objects.filter(fiche=fiche).exists()
    assert set(FicheWord.objects.filter(fiche=fiche).values_list("word", flat=True)) == {
        "robotique",
        "college",
        "robots",
        "programmables",
    }
    fiche.state = FicheState.DRAFT
    fiche.save()
    index_fiche(fiche)
    assert not FicheListing.objects.filter(fiche=fiche).exists()
    assert not FicheWord.objects.filter(fiche=fiche).exists()


def test_rebuilding_gives_the_index_kept_at_each_write(world, fiches):
    kept = sorted(FicheWord.objects.values_list("fiche_id", "word"))
    listed = sorted(FicheListing.objects.values_list("fiche_id", "academy_id", "department_id", "featured"))
    assert rebuild_index() == 3
    assert sorted(FicheWord.objects.values_list("fiche_id", "word")) == kept
    assert sorted(FicheListing.objects.values_list("fiche_id", "academy_id", "department_id", "featured")) == listed


@pytest.mark.parametrize(("persona", "shown"), [("member_a", True), ("correspondant_64", True), ("nobody", False)])
def test_the_menu_leads_every_user_of_an_academie_to_the_catalogue(client_for, persona, shown):
    response = client_for(persona).get(reverse("accounts:profile"))
    menu = {item["label"]: item["url"] for item in menu_links(response.context["nav_items"]())}
    assert (menu.get("Catalogue des fiches") == LIST) is shown


def test_the_exports_keep_their_field_names_and_neutralise_formulas(client_for, world):
    make_fiche(world.school_a, '=HYPERLINK("http://exemple.org")', disciplines=["SVT"], tools=["ent"])
    client = client_for("dane")
    csv = b"".join(client.get(reverse("fiche_catalogue:export", args=["csv"])).streaming_content)
    assert csv.startswith(b"\xef\xbb\xbf") and b"\"'=HYPERLINK" in csv and b'"=HYPERLINK' not in csv
    response = client.get(reverse("fiche_catalogue:export", args=["json"]), {"discipline": "SVT"})
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(b"".join(response.streaming_content))
    assert data["format"] == "pilotis-fiches" and data["version"] == 1
    (record,) = data["fiches"]
    assert set(record) == set(FIELDS)
    assert (
        record["disciplines"] == ["SVT"] and record["tools"] == ["ent"] and record["school_uai"] == world.school_a.uai
    )


@pytest.mark.parametrize("drive_limit", [1, 10_000], ids=["walking-the-order", "starting-from-the-rarest"])
def test_both_ways_of_finding_a_page_find_the_same(client_for, world, fiches, monkeypatch, drive_limit):
    monkeypatch.setattr(catalogue_module, "DRIVE_LIMIT", drive_limit)
    make_fiche(world.school_b, "Tablettes en anglais", disciplines=["ANG"], levels=["2GT"], tools=["tablettes"])
    client = client_for("dane")
    assert titles(client, q="tablet") == ["Tablettes en anglais", "Tablettes en SVT"]
    assert titles(client, q="tablet", level="2GT") == ["Tablettes en anglais"]
    assert titles(client, tool="tablettes", discipline="SVT", sort="title") == ["Tablettes en SVT"]
    assert titles(client, q="numériques médias", competence="1.1") == ["Éducation aux médias numériques"]
    assert titles(client, q="tablettes médias") == []


def test_a_school_moving_to_another_departement_takes_its_fiches_along(client_for, world, fiches):
    from pilotis.territories.signals import schools_regrouped

    world.school_a.department = world.gironde
    world.school_a.save()
    schools_regrouped.send(sender=type(world.school_a), school_ids=[world.school_a.pk])
    client = client_for("dane")
    assert titles(client, department=world.gironde.pk) == ["Tablettes en SVT"]
    assert titles(client, department=world.landes.pk) == []


@given(st.text(max_size=300))
def test_indexed_words_are_ascii_letters_and_digits_whatever_the_text(text):
    """What makes a prefix a range of the index on every collation: no accent, case or symbol."""
    for word in normalise_words(text):
        assert re.fullmatch(r"[a-z0-9]{2,40}", word)
        low, high = prefix_bounds(word)
        assert low <= word < high


def test_the_feed_keeps_the_pages_filters(client_for, fiches):
    feed = client_for("dane").get(reverse("fiche_catalogue:feed"), {"discipline": "EMC"})
    assert feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "Éducation aux médias numériques" in text and "Tablettes en SVT" not in text
    assert "/fiches/?discipline=EMC" in text  # the feed's link: the page with the same filters
    page = client_for("dane").get(LIST, {"discipline": "EMC"}).content.decode()
    assert reverse("fiche_catalogue:feed") + "?discipline=EMC" in page
