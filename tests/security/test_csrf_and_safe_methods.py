"""CSRF, and GET never writes (SECURITY.md): a POST without CSRF token is refused; a GET never changes the database."""

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pilotis.accounts.models import SchoolMembership, TerritoryRole
from pilotis.assessments import services
from pilotis.assessments.models import Assessment, Campaign
from pilotis.referential.models import Indicator, ReferentialVersion
from tests.factories import MembershipFactory, open_campaign
from tests.security.helpers import db_snapshot, route_url, signed_in, writes_in
from tests.urlconf import iter_routes

PROFILE = "/compte/"
YEAR = "2026-2027"  # tests.urlconf's sample year: the URLconf walk below lands on this campaign


def schematic(world, *, validated=False, answered=True):
    """School A in SCHÉMATIC: last year's campaign closed with answers, this year's open — with
    answers (validated if asked) or none yet — so that every SCHÉMATIC view runs its real code."""
    call_command("load_referential", verbosity=0)
    referential = ReferentialVersion.objects.get(version="2021")
    last_year = open_campaign(world, referential, "2025-2026")
    for code in ("PIL.1.01", "FOR.1.01"):
        indicator = Indicator.objects.get(version=referential, code=code)
        services.save_answer(last_year, world.school_a, indicator, status="realise", comment="", by=world.rupn_a)
    services.close_campaign(last_year, by=world.dane)
    campaign = open_campaign(world, referential, YEAR)
    if answered:
        for code, status in [("PIL.1.01", "realise"), ("PIL.1.02", "en_cours"), ("INF.1.01", "non_realise")]:
            indicator = Indicator.objects.get(version=referential, code=code)
            services.save_answer(campaign, world.school_a, indicator, status=status, comment="Vu", by=world.rupn_a)
    if validated:
        services.validate_assessment(Assessment.objects.get(campaign=campaign), by=world.chef_a)
    return campaign


def csrf_client(user):
    return signed_in(user, enforce_csrf_checks=True)


def _posts(world):
    membership = SchoolMembership.objects.get(user=world.member_a)
    role = TerritoryRole.objects.get(user=world.correspondant_40)
    uai = world.school_a.uai
    return {
        "logout": ("chef_a", reverse("accounts:logout"), {}),
        "member_invite": (
            "chef_a",
            reverse("members:invite", args=[uai]),
            {"email": "csrf@example.org", "first_name": "C", "last_name": "S", "role": "chef"},
        ),
        "member_change_role": (
            "chef_a",
            reverse("members:change_role", args=[uai, membership.pk]),
            {f"m{membership.pk}-role": "chef"},
        ),
        "member_remove": ("chef_a", reverse("members:remove", args=[uai, membership.pk]), {}),
        "territory_role_add": (
            "dane",
            reverse("accounts:territory_role_add"),
            {"email": "csrf@example.org", "first_name": "C", "last_name": "S", "kind": "dane"},
        ),
        "territory_role_remove": ("dane", reverse("accounts:territory_role_remove", args=[role.pk]), {}),
        "my_schools": ("two_schools", reverse("accounts:my_schools"), {"uai": world.school_b.uai}),
        "password_change": (
            "chef_a",
            reverse("accounts:password_change"),
            {
                "old_password": "correct horse battery staple",
                "new_password1": "une phrase de passe toute neuve",
                "new_password2": "une phrase de passe toute neuve",
            },
        ),
    }


# SCHÉMATIC's writes: (persona, the state they need, URL name and arguments, data).
SCHEMATIC_POSTS = {
    "answer_save": ("rupn_a", {}, ("answer_save", "PIL.1.03"), {"status": "realise", "comment": "Fait"}),
    # The revision its confirmation page shows: three answers, each saved once.
    "assessment_validate": ("chef_a", {}, ("validate",), {"seen_revision": "3"}),
    "assessment_ready": ("rupn_a", {}, ("ready",), {}),
    "assessment_reopen": ("chef_a", {"validated": True}, ("reopen",), {}),
    "start_from_previous": ("rupn_a", {"answered": False}, ("start_from_previous",), {}),
    "campaign_open": ("dane", {}, None, {}),
    "campaign_close": ("dane", {}, None, {}),
}


def _schematic_post(world, name):
    persona, state, route, data = SCHEMATIC_POSTS[name]
    campaign = schematic(world, **state)
    if name == "campaign_open":
        url = reverse("campaigns:list")
        data = {
            "school_year": "2027-2028",
            "referential": campaign.referential_id,
            "opens_on": "2027-09-01",
            "closes_on": "2028-06-30",
        }
    elif name == "campaign_close":
        url = reverse("campaigns:close", args=[campaign.pk])
    else:
        url = reverse(f"assessments:{route[0]}", args=[world.school_a.uai, YEAR, *route[1:]])
    return persona, url, data


POSTS = [
    "logout",
    "member_invite",
    "member_change_role",
    "member_remove",
    "territory_role_add",
    "territory_role_remove",
    "my_schools",
    "password_change",
    *SCHEMATIC_POSTS,
]


@pytest.mark.parametrize("name", POSTS)
def test_post_without_csrf_token_is_refused(world, name):
    MembershipFactory(user=world.chef_a, school=world.school_b, role="membre")
    if name in SCHEMATIC_POSTS:
        persona, url, data = _schematic_post(world, name)
    else:
        persona, url, data = _posts(world)[name]
    user = world.chef_a if persona == "two_schools" else world.persona(persona)
    client = csrf_client(user)
    before = db_snapshot()
    session_before = dict(client.session)

    response = client.post(url, data)

    assert response.status_code == 403
    assert db_snapshot() == before
    assert dict(client.session) == session_before
    # Still signed in: the forged sign-out did nothing.
    assert client.get(PROFILE).status_code == 200


def test_post_with_a_wrong_token_is_refused(world):
    client = csrf_client(world.chef_a)
    client.get(PROFILE)
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert client.get(PROFILE).status_code == 200


def test_sign_in_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "chef_a", "password": "correct horse battery staple"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_post_with_the_token_is_accepted(world):
    """Control: the refusals above are about the token, not about the request."""
    client = csrf_client(world.chef_a)
    client.get(PROFILE)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 302


@pytest.mark.parametrize("name", list(SCHEMATIC_POSTS))
def test_schematic_post_with_the_token_does_its_work(world, name):
    """Control for SCHÉMATIC: the same requests, with the token, are accepted and write."""
    persona, url, data = _schematic_post(world, name)
    client = csrf_client(world.persona(persona))
    client.get(PROFILE)
    before = db_snapshot()
    response = client.post(url, {**data, "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value})
    assert response.status_code == 302, response.content.decode()[:500]
    assert db_snapshot() != before
    done = {
        "answer_save": lambda: (
            Indicator.objects.filter(code="PIL.1.03").exists()
            and Assessment.objects.get(campaign__school_year=YEAR).answers.filter(indicator__code="PIL.1.03").exists()
        ),
        "assessment_validate": lambda: Assessment.objects.get(campaign__school_year=YEAR).is_validated,
        "assessment_reopen": lambda: not Assessment.objects.get(campaign__school_year=YEAR).is_validated,
        "assessment_ready": lambda: Assessment.objects.get(campaign__school_year=YEAR).ready_at is not None,
        "start_from_previous": lambda: Assessment.objects.get(campaign__school_year=YEAR).answers.count() == 2,
        "campaign_open": lambda: Campaign.objects.filter(school_year="2027-2028").exists(),
        "campaign_close": lambda: not Campaign.objects.get(school_year=YEAR).is_open,
    }
    assert done[name]()


def _real_values(world, user, name, pattern, campaign):
    values = {
        "uai": world.school_a.uai,
        "pk": SchoolMembership.objects.get(user=world.member_a).pk,
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "campaign": campaign.pk,
        "year": YEAR,
    }
    if pattern.name == "territory_role_remove":
        values["pk"] = TerritoryRole.objects.get(user=world.correspondant_40).pk
    if name.startswith("campaigns:"):
        values["pk"] = campaign.pk
    if pattern.name in ("history", "answer_save"):
        values["code"] = "PIL.1.01"  # an indicator; the domain tab's "PIL" is the sample
    return values


# SCHÉMATIC's pages, which a reader of school A gets in full (the others are POST-only: 405).
SCHEMATIC_GETS = ["home", "domain", "synthesis", "history", "edition", "export_pdf", "export_ods", "export_csv"]


@pytest.mark.parametrize("persona", ["chef_a", "dane", "member_a", "correspondant_40", "nobody", "admin"])
def test_no_get_changes_the_database(world, persona):
    # A campaign with answers, so that SCHÉMATIC's GETs run their real code, not an early 404.
    campaign = schematic(world)
    user = world.persona(persona)
    client = signed_in(user)
    before = db_snapshot()
    seen, statuses = 0, {}
    for name, pattern in iter_routes():
        if name.startswith("admin:"):
            continue
        url = route_url(name, pattern, _real_values(world, user, name, pattern, campaign))
        # Each GET's statements are read for a write (comparing every table after each of the
        # 400 GETs cost 20 seconds a persona); every table is compared once at the end.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, follow=True)
        assert response.status_code < 500, (name, response.status_code)
        statuses[name] = response.status_code
        seen += 1
        assert writes_in(queries) == [], f"GET {url} ({name}) wrote to the database"
    assert db_snapshot() == before, "the GETs changed the database"
    assert seen >= 15
    reader = persona != "nobody"
    for name in SCHEMATIC_GETS:
        assert statuses[f"assessments:{name}"] == (200 if reader else 404), (name, statuses[f"assessments:{name}"])
    for name in ("answer_save", "domain_save", "reopen", "start_from_previous"):
        assert statuses[f"assessments:{name}"] in (405, 404), name  # POST only (404 first if out of scope)
    # Closing, reopening, deleting a campaign: the GET is the confirmation page, which changes nothing.
    for name in ("campaigns:close", "campaigns:reopen", "campaigns:delete", "campaigns:edit"):
        assert statuses[name] == (200 if persona in ("dane", "admin") else 404), name
    # Validating and « prêt à valider » answer a GET with their confirmation page, for who may act.
    assert statuses["assessments:validate"] == {"chef_a": 200, "nobody": 404}.get(persona, 403)
    assert statuses["assessments:ready"] == {"nobody": 404}.get(persona, 403)


def test_snapshot_sees_a_change(world):
    """Control: the snapshot is sensitive to a one-field update."""
    before = db_snapshot()
    SchoolMembership.objects.filter(user=world.member_a).update(role="rupn")
    assert db_snapshot() != before


def test_writes_in_sees_a_write_but_not_the_sessions(world):
    """Control: `writes_in` names an update of a compared table, not the session a GET renews."""
    with CaptureQueriesContext(connection) as queries:
        SchoolMembership.objects.filter(user=world.member_a).update(role="rupn")
        Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    writes = writes_in(queries)
    assert len(writes) == 1 and SchoolMembership._meta.db_table in writes[0]
