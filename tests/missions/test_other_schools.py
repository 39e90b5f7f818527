"""Another school's objects do not exist (SECURITY.md), for the missions: a designation or a letter
of another school, asked for under a school's URL — even by that school's direction, even by a DANE
who reads both schools — does not exist there. Every object URL of the app, GET and POST: 404, no
row changed, the other school's name nowhere in the answer."""

import datetime

import pytest
from django.urls import reverse

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.missions import school_urls, services
from pilotis.missions.models import CatalogueEntry, Designation, LetterMission, MissionLetter
from tests.factories import MembershipFactory, UserFactory
from tests.missions.conftest import FIRST_DAY, IMP, LAST_DAY, YEAR


def revision(letter):
    return {"seen_revision": MissionLetter.objects.get(pk=letter.pk).revision}


def change_data(_designation):
    return {"starts_on": FIRST_DAY, "ends_on": LAST_DAY - datetime.timedelta(days=10), "imp_amount": "2500.00"}


def end_data(_designation):
    return {"ends_on": datetime.date.today()}


def edit_data(letter):
    entry = CatalogueEntry.objects.filter(academy__isnull=True).last()
    return {**revision(letter), f"mission_{entry.pk}": "principale", "free_text": "Écrit sous une autre école"}


# (URL name, method, object kind, data) — the test below checks this is every object URL of the app.
OBJECT_URLS = [
    ("missions:designation_change", "get", "designation", None),
    ("missions:designation_change", "post", "designation", change_data),
    ("missions:designation_end", "post", "designation", end_data),
    ("missions:letter_start", "post", "designation", lambda _d: {}),
    ("missions:letter", "get", "letter", None),
    ("missions:letter_pdf", "get", "letter", None),
    ("missions:letter_odt", "get", "letter", None),
    ("missions:letter_edit", "get", "letter", None),
    ("missions:letter_edit", "post", "letter", edit_data),
    ("missions:letter_propose", "post", "letter", revision),
    ("missions:letter_withdraw", "post", "letter", revision),
    ("missions:letter_accept", "post", "letter", revision),
    ("missions:letter_send_back", "post", "letter", lambda lt: {**revision(lt), "comment": "À revoir"}),
    ("missions:letter_sign", "get", "letter", None),
    ("missions:letter_sign", "post", "letter", revision),
    ("missions:letter_presentations", "post", "letter", lambda lt: {**revision(lt), "board_on": datetime.date.today()}),
    ("missions:letter_supersede", "post", "letter", revision),
    ("missions:letter_delete", "get", "letter", None),
    ("missions:letter_delete", "post", "letter", revision),
]
# Views any reader of the school reaches (the others first require its direction: 403 for a DANE).
READ_GUARDED = {"missions:letter", "missions:letter_pdf", "missions:letter_odt"}
READ_GUARDED |= {"missions:letter_accept", "missions:letter_send_back"}


def test_the_table_covers_every_object_url_of_the_app():
    names = {
        f"missions:{pattern.name}"
        for pattern in school_urls.urlpatterns
        if "<int:pk>" in str(pattern.pattern)  # all under `etablissements/<str:uai>/`
    }
    assert names == {name for name, _method, _kind, _data in OBJECT_URLS}


def school_objects(school, chef, username):
    """Four designations of `school`, each with a letter in another state: draft, proposed, accepted, signed."""
    entries = list(CatalogueEntry.objects.filter(academy__isnull=True)[:2])
    letters = {}
    for state in ("draft", "proposed", "accepted", "signed"):
        rupn = UserFactory(username=f"{username}_{state}", first_name="Rémi", last_name=f"Référent {state}")
        designation = services.designate(
            school, user=rupn, school_year=YEAR, starts_on=FIRST_DAY, ends_on=LAST_DAY, imp_amount=IMP, by=chef
        )
        letter = services.start_letter(designation, by=chef)
        letter = services.update_letter(
            letter,
            fields={"free_text": "Le texte de l'école"},
            missions=[(entry, "principale") for entry in entries],
            indicators=[],
            seen_revision=letter.revision,
            by=chef,
        )
        if state != "draft":
            letter = services.propose_letter(letter, by=chef, seen_revision=letter.revision)
        if state in ("accepted", "signed"):
            letter = services.accept_letter(letter, by=rupn, seen_revision=letter.revision)
        if state == "signed":
            letter = services.sign_letter(letter, by=chef, seen_revision=letter.revision)
        letters[state] = letter
    return letters


def snapshot():
    return (
        list(Designation.objects.order_by("pk").values()),
        list(MissionLetter.objects.order_by("pk").values()),
        list(LetterMission.objects.order_by("pk").values()),
        list(SchoolMembership.objects.order_by("pk").values("pk", "user_id", "school_id", "role")),
    )


@pytest.fixture
def schools(world):
    """School A, B and C each with designations and letters in every state."""
    chef_b = MembershipFactory(user=UserFactory(username="chef_b"), school=world.school_b, role=SchoolRole.CHEF).user
    return {
        "school_a": school_objects(world.school_a, world.chef_a, "ra"),
        "school_b": school_objects(world.school_b, chef_b, "rb"),
        "school_c": school_objects(world.school_c, world.chef_c, "rc"),
    }


@pytest.mark.parametrize(
    ("persona", "under", "foreign"),
    [
        ("chef_a", "school_a", "school_b"),  # the same académie
        ("chef_a", "school_a", "school_c"),  # another académie
        ("chef_c", "school_c", "school_a"),
        ("dane", "school_a", "school_b"),  # reads both schools: still not B's letters under A's URL
    ],
)
def test_another_schools_objects_do_not_exist_under_a_schools_url(client_for, world, schools, persona, under, foreign):
    client = client_for(persona)
    uai, other = getattr(world, under).uai, getattr(world, foreign)
    letters = schools[foreign]
    before = snapshot()
    asked = 0
    for name, method, kind, data in OBJECT_URLS:
        if persona == "dane" and name not in READ_GUARDED:
            continue  # refused 403 on school A itself, before any object is looked up
        for letter in letters.values():
            target = letter.designation if kind == "designation" else letter
            url = reverse(name, args=[uai, target.pk])
            response = client.get(url) if method == "get" else client.post(url, data(target))
            asked += 1
            assert response.status_code == 404, (name, method, letter.state, response.status_code)
            content = response.content.decode(errors="replace")
            assert other.name not in content and letter.designation.user_label not in content, (name, method)
    assert asked >= 4 * len(READ_GUARDED)
    assert snapshot() == before
