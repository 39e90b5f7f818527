"""Checks 2 and 3: one declarative table of role × view → expected status, every cell tested.

Every object URL points at school A (collège of the Landes, académie de Bordeaux) or at one of its
rows: personas of school B, of the Pyrénées-Atlantiques, of another académie or with no role must
get a 404 (the object does not exist for them), and no row may change.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from pilotis.accounts.models import SchoolMembership, TerritoryRole
from pilotis.core.models import AuditEvent
from pilotis.referential.loader import load_referential
from tests.conftest import PERSONAS
from tests.urlconf import pilotis_route_names

SCHOOL_A_READERS = {"chef_a", "adjoint_a", "rupn_a", "member_a", "correspondant_40", "dane", "admin"}
DIRECTION_A = {"chef_a", "adjoint_a"}
TERRITORIAL = {"correspondant_40", "correspondant_64", "dane", "dane_rennes", "admin"}
DANE_BORDEAUX = {"dane", "admin"}


def statuses(default, **overrides):
    table = dict.fromkeys(PERSONAS, default)
    for status, personas in overrides.items():
        for persona in personas:
            table[persona] = int(status.removeprefix("s"))
    return table


def school_a(w):
    return [w.school_a.uai]


def member_a_row(w):
    return [w.school_a.uai, SchoolMembership.objects.get(user=w.member_a).pk]


def correspondant_40_role(w):
    return [TerritoryRole.objects.get(user=w.correspondant_40).pk]


def referential_version(w):
    load_referential(Path(__file__).parents[1] / "referential" / "data" / "mini.yaml")
    return ["test-1"]


def invite_data(w):
    return {"email": "nouvelle@example.org", "first_name": "Léa", "last_name": "Nouvelle", "role": "membre"}


def role_data(w):
    pk = SchoolMembership.objects.get(user=w.member_a).pk
    return {f"m{pk}-role": "rupn"}


def territory_role_data(w):
    return {
        "email": "corresp33@example.org",
        "first_name": "Paul",
        "last_name": "Gironde",
        "kind": "correspondant",
        "department": w.gironde.pk,
    }


# view name -> (method, args builder, POST data builder, {persona: status})
MATRIX = {
    "home": ("get", None, None, statuses(302, s200={"nobody"})),
    "core:health": ("get", None, None, statuses(200)),
    "accounts:login": ("get", None, None, statuses(302)),
    "accounts:logout": ("post", None, None, statuses(302)),
    "accounts:password_reset": ("get", None, None, statuses(200)),
    "accounts:password_reset_done": ("get", None, None, statuses(200)),
    "accounts:password_reset_confirm": ("get", lambda w: ["MQ", "set-password"], None, statuses(200)),
    "accounts:password_reset_complete": ("get", None, None, statuses(200)),
    "accounts:password_change": ("get", None, None, statuses(200)),
    "accounts:profile": ("get", None, None, statuses(200)),
    "accounts:my_schools": ("get", None, None, statuses(200)),
    "accounts:members": ("get", school_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "accounts:member_invite": (
        "post",
        school_a,
        invite_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "accounts:member_change_role": (
        "post",
        member_a_row,
        role_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "accounts:member_remove": (
        "post",
        member_a_row,
        None,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "accounts:territory_roles": ("get", None, None, statuses(404, s200=DANE_BORDEAUX | {"dane_rennes"})),
    "accounts:territory_role_add": (
        "post",
        None,
        territory_role_data,
        statuses(404, s302=DANE_BORDEAUX, s400={"dane_rennes"}),
    ),
    "accounts:territory_role_remove": ("post", correspondant_40_role, None, statuses(404, s302=DANE_BORDEAUX)),
    "referential:version_list": ("get", None, None, statuses(200)),
    "referential:version_detail": ("get", referential_version, None, statuses(200)),
    "territories:school_list": ("get", None, None, statuses(404, s200=TERRITORIAL)),
    "territories:school_detail": ("get", school_a, None, statuses(404, s200=SCHOOL_A_READERS)),
}

CELLS = [(view, persona) for view in MATRIX for persona in PERSONAS]


def test_every_view_has_a_row():
    """A new view without a rule in this table fails here."""
    assert set(MATRIX) == set(pilotis_route_names())


def _snapshot():
    return (
        sorted(SchoolMembership.objects.values_list("pk", "user_id", "school_id", "role")),
        sorted(TerritoryRole.objects.values_list("pk", "user_id", "kind", "department_id", "academy_id")),
    )


@pytest.mark.parametrize(("view", "persona"), CELLS, ids=[f"{v}-{p}" for v, p in CELLS])
def test_matrix_cell(client_for, world, view, persona):
    method, args, data, expected = MATRIX[view]
    client = client_for(persona)
    url = reverse(view, args=args(world) if args else None)
    before = _snapshot()
    response = client.get(url) if method == "get" else client.post(url, data(world) if data else {})
    assert response.status_code == expected[persona], (view, persona, response.status_code)
    if response.status_code in (403, 404):
        assert _snapshot() == before, "a refused request changed data"
        # The foreign school's name never leaks into the refusal page.
        assert world.school_a.name not in response.content.decode()
        assert AuditEvent.objects.filter(action="access_denied").exists()
