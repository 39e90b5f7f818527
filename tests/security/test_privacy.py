"""Signed-in pages are `Cache-Control: private, no-store`; no e-mail or name in any URL."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from pilotis.accounts.models import SchoolMembership, TerritoryRole
from tests.factories import MembershipFactory
from tests.security.helpers import page_urls, route_url, signed_in
from tests.urlconf import iter_routes

PERSONAS = ["chef_a", "member_a", "dane", "correspondant_40", "nobody", "admin"]
STEERING = {"dane", "correspondant_40", "admin"}
MINI = Path(__file__).parents[1] / "referential" / "data" / "mini.yaml"


def signed_in_pages(world, client, values=None):
    for name, pattern in iter_routes():
        if name.startswith("admin:") or name == "accounts:logout":
            continue
        url = route_url(name, pattern, {"uai": world.school_a.uai, **(values or {})})
        yield name, url, client.get(url)


@pytest.fixture
def referential(mini_referential):
    """The walk runs on the two-domain referential; the shared `campaign`, of school A's académie,
    makes the steering pages answer 200, not 404."""
    return mini_referential


def assert_private(response, where):
    cache_control = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache_control, (where, response.get("Cache-Control"))
    assert "public" not in cache_control
    assert not get_max_age(response), where


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_answer_is_private_and_not_stored(world, campaign, persona):
    client = signed_in(world.persona(persona))
    statuses = set()
    steering = {}
    for name, url, response in signed_in_pages(world, client, {"campaign": campaign.pk}):
        statuses.add(response.status_code)
        assert_private(response, (name, url, response.status_code))
        # The index redirects to the campaign; the send's confirmation, without the list to remind
        # (`target`), sends back to the reminders page: both answer 302 to those who may see them.
        if name.startswith("steering:") and name not in ("steering:index", "steering:remind"):
            steering[name] = response.status_code
    assert 200 in statuses
    # The walk reaches the real steering pages of those who follow the territory.
    assert set(steering.values()) == ({200} if persona in STEERING else {404}), steering


@pytest.mark.parametrize("board", ["progress", "maturity", "distribution", "indicators", "trends"])
@pytest.mark.parametrize("fmt", ["csv", "ods"])
def test_every_steering_export_is_private_and_not_stored(world, campaign, board, fmt):
    response = signed_in(world.dane).get(reverse("steering:export", args=[campaign.pk, board, fmt]))
    assert response.status_code == 200
    assert_private(response, (board, fmt))


def test_refusals_and_redirects_are_private_too(world):
    client = signed_in(world.chef_c)
    assert_private(client.get(reverse("territories:school_detail", args=[world.school_a.uai])), "404")
    assert_private(client.get(reverse("home")), "redirect")
    membership = SchoolMembership.objects.get(user=world.member_a)
    response = signed_in(world.chef_a).post(reverse("members:remove", args=[world.school_a.uai, membership.pk]))
    assert_private(response, "post redirect")


def test_the_sign_in_page_is_not_stored(world, client):
    assert_private(client.get(reverse("accounts:login")), "login")


# --- No personal data in URLs --------------------------------------------------------------


def forbidden_in_urls(world):
    people = [u for u in vars(world).values() if hasattr(u, "last_name")]
    people += [m.user for m in SchoolMembership.objects.select_related("user")]
    people += [r.user for r in TerritoryRole.objects.select_related("user")]
    words = set()
    for person in people:
        words |= {person.last_name, person.email, person.email.split("@")[0]}
        words.discard("")
    # Usernames are made of the persona names (chef_a…), which are not personal: only real names.
    return {w for w in words if "_" not in w}


def assert_clean_urls(response, forbidden, where):
    assert response.status_code == 200, where
    urls = page_urls(response.content)
    assert urls, where
    for url in urls:
        assert "@" not in url, (where, url)
        assert "%40" not in url.lower(), (where, url)
        for word in forbidden:
            assert not re.search(rf"(?i)(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", url), (where, url, word)


@pytest.fixture
def named_people(world):
    """People with distinctive names and addresses in school A and on the territory roles."""
    MembershipFactory(
        school=world.school_a,
        role="membre",
        user__username="n.dubois",
        user__first_name="Nathalie",
        user__last_name="Dubois-Lefèvre",
        user__email="nathalie.dubois-lefevre@ac-bordeaux.fr",
    )
    for user in vars(world).values():
        if hasattr(user, "last_name") and "_" in user.username:
            user.last_name = f"Nom{user.username.replace('_', '').capitalize()}"
            user.save(update_fields=["last_name"])
    return world


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("chef_a", "members"),
        ("chef_a", "school"),
        ("chef_a", "profile"),
        ("chef_a", "my_schools"),
        ("member_a", "members"),
        ("dane", "school_list"),
        ("dane", "territory_roles"),
        ("dane", "members"),
        ("correspondant_40", "school_list"),
    ],
)
def test_no_email_or_name_in_any_url_of_a_page(named_people, persona, page):
    world = named_people
    MembershipFactory(user=world.chef_a, school=world.school_b, role="membre")
    urls = {
        "members": reverse("members:list", args=[world.school_a.uai]),
        "school": reverse("territories:school_detail", args=[world.school_a.uai]),
        "profile": reverse("accounts:profile"),
        "my_schools": reverse("accounts:my_schools"),
        "school_list": reverse("schools:list"),
        "territory_roles": reverse("accounts:territory_roles"),
    }
    response = signed_in(world.persona(persona)).get(urls[page])
    body = response.content.decode()
    forbidden = forbidden_in_urls(world)
    # The page does name people (so the check below is not vacuous)...
    assert any(name in body for name in forbidden)
    # ...but never in a link, a form action or a script address.
    assert_clean_urls(response, forbidden, (persona, page))


def test_redirects_after_actions_carry_no_personal_data(named_people, django_capture_on_commit_callbacks):
    world = named_people
    client = signed_in(world.chef_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:invite", args=[world.school_a.uai]),
            {"email": "jeanne.moreau@ac-bordeaux.fr", "first_name": "Jeanne", "last_name": "Moreau", "role": "membre"},
        )
    assert response.status_code == 302
    location = response["Location"]
    assert "@" not in location and "moreau" not in location.lower() and "jeanne" not in location.lower()
    dane = signed_in(world.dane)
    response = dane.post(
        reverse("accounts:territory_role_add"),
        {
            "email": "paul.gironde@ac-bordeaux.fr",
            "first_name": "Paul",
            "last_name": "Gironde-Sud",
            "kind": "correspondant",
            "department": world.gironde.pk,
        },
    )
    assert response.status_code == 302
    assert "@" not in response["Location"] and "paul" not in response["Location"].lower()
