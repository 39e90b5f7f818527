"""One declarative table of role × view → expected status, every cell tested, and the guard each view carries.

Every object URL points at school A (collège of the Landes, académie de Bordeaux) or at one of its
rows: personas of school B, of the Pyrénées-Atlantiques, of another académie or with no role must
get a 404 (the object does not exist for them), and no row may change.
"""

import datetime
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from pilotis.accounts.models import SchoolMembership, TerritoryRole
from pilotis.assessments import services as assessment_services
from pilotis.assessments.models import Answer, Assessment, Campaign
from pilotis.core.guards import GUARD_NAME
from pilotis.core.models import AuditEvent
from pilotis.core.school_years import current_school_year
from pilotis.missions import services as mission_services
from pilotis.missions.catalogue import ensure_shipped_entries
from pilotis.missions.models import CatalogueEntry, Designation, MissionLetter
from pilotis.missions.services import school_year_bounds
from pilotis.referential.loader import load_referential
from pilotis.referential.models import Indicator, ReferentialVersion
from pilotis.steering.models import ReminderBatch
from tests.conftest import PERSONAS
from tests.security.matrix import MATRIX_EXTENSIONS
from tests.urlconf import iter_routes, pilotis_route_names

SCHOOL_A_READERS = {"chef_a", "adjoint_a", "rupn_a", "member_a", "correspondant_40", "dane", "admin"}
DIRECTION_A = {"chef_a", "adjoint_a"}
FILLERS_A = DIRECTION_A | {"rupn_a"}
YEAR = "2026-2027"
MINI = Path(__file__).parents[1] / "referential" / "data" / "mini.yaml"
TERRITORIAL = {"correspondant_40", "correspondant_64", "dane", "dane_rennes", "admin"}
DANE_BORDEAUX = {"dane", "admin"}
BORDEAUX_STEERING = {"correspondant_40", "correspondant_64", "dane", "admin"}


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
    load_referential(MINI)
    return ["test-1"]


def open_campaign(w):
    load_referential(MINI)
    referential = ReferentialVersion.objects.get(version="test-1")
    campaign = Campaign.objects.filter(academy=w.bordeaux).first()
    if campaign is None:
        campaign = assessment_services.open_campaign(
            academy=w.bordeaux,
            school_year=YEAR,
            referential=referential,
            opens_on=datetime.date(2026, 9, 1),
            closes_on=datetime.date(2027, 6, 30),
            by=w.dane,
        )
    return campaign


def assessment_of_a(w, *, validated=False):
    campaign = open_campaign(w)
    indicator = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    assessment_services.save_answer(campaign, w.school_a, indicator, status="realise", comment="", by=w.rupn_a)
    assessment = Assessment.objects.get(campaign=campaign, school=w.school_a)
    if validated:
        assessment_services.validate_assessment(assessment, by=w.chef_a)
    return campaign


def year_of_a(w):
    open_campaign(w)
    return [w.school_a.uai, YEAR]


def draft_of_a(w):
    assessment_of_a(w)
    return [w.school_a.uai, YEAR]


def validated_of_a(w):
    assessment_of_a(w, validated=True)
    return [w.school_a.uai, YEAR]


def domain_of_a(w):
    return [*year_of_a(w), "PIL"]


def indicator_of_a(w):
    return [*year_of_a(w), "PIL.1.01"]


def bordeaux_campaign(w):
    return [open_campaign(w).pk]


def campaign_dates_data(w):
    return {"opens_on": "2026-09-02", "closes_on": "2027-06-30"}


def steering_index(w):
    open_campaign(w)  # Bordeaux has a campaign, Rennes none: its DANE gets the page saying so
    return []


def campaign_export(w):
    return [open_campaign(w).pk, "indicators", "ods"]


def reminder_data(w):
    return {"target": "not_started"}


def validate_data(w):
    return {"seen_revision": "1"}  # what the confirmation page shows: one answer, saved once


def answer_data(w):
    return {"status": "en_cours", "comment": "Test", "seen_revision": "0"}


def domain_save_data(w):
    return {"PIL.1.01-status": "en_cours", "PIL.1.01-comment": "Test", "PIL.1.01-seen_revision": "0"}


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


def designation_of_a(w):
    designation = Designation.objects.filter(school=w.school_a).first()
    if designation is None:
        designation = mission_services.designate(
            w.school_a,
            user=w.rupn_a,
            school_year=current_school_year(),
            starts_on=school_year_bounds(current_school_year())[0],
            ends_on=school_year_bounds(current_school_year())[1],
            imp_amount=Decimal("1250.00"),
            by=w.chef_a,
        )
    return designation


def designation_args(w):
    return [w.school_a.uai, designation_of_a(w).pk]


def letter_of_a(w, state="brouillon"):
    """School A's letter to its RUPN, moved through the workflow up to `state`."""
    open_campaign(w)
    letter = mission_services.start_letter(designation_of_a(w), by=w.chef_a)
    ensure_shipped_entries(CatalogueEntry)  # should a transactional test have emptied the tables
    entry = CatalogueEntry.objects.filter(academy__isnull=True).first()
    letter = mission_services.update_letter(
        letter, fields={}, missions=[(entry, "principale")], indicators=[], seen_revision=None, by=w.chef_a
    )
    steps = [
        ("proposee", lambda lt: mission_services.propose_letter(lt, by=w.chef_a, seen_revision=None)),
        ("acceptee", lambda lt: mission_services.accept_letter(lt, by=w.rupn_a, seen_revision=None)),
        ("signee", lambda lt: mission_services.sign_letter(lt, by=w.chef_a, seen_revision=None)),
    ]
    for _name, step in steps:
        if letter.state == state:
            break
        letter = step(letter)
    return letter


def letter_args(state):
    return lambda w: [w.school_a.uai, letter_of_a(w, state).pk]


def revision_data(w):
    return {"seen_revision": MissionLetter.objects.get().revision}


def send_back_data(w):
    return {**revision_data(w), "comment": "À revoir"}


def presentations_data(w):
    return {**revision_data(w), "pedagogical_council_on": datetime.date.today().isoformat()}


def designate_data(w):
    membership = SchoolMembership.objects.get(user=w.member_a)
    return {"member": membership.pk, "school_year": current_school_year(), "imp_amount": "1250.00"}


def designation_change_data(w):
    first, last = school_year_bounds(current_school_year())
    return {
        "starts_on": first.isoformat(),
        "ends_on": (last - datetime.timedelta(days=60)).isoformat(),
        "imp_amount": "2500.00",
    }


def designation_end_data(w):
    return {"ends_on": datetime.date.today().isoformat()}


def bordeaux_catalogue_entry(w):
    entry = mission_services.add_catalogue_entry(
        w.bordeaux, heading="communication", function="conseil", text="Mission de l'académie", by=w.dane
    )
    return [entry.pk]


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
    "accounts:my_data": ("get", None, None, statuses(200)),
    "members:list": ("get", school_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "members:invite": (
        "post",
        school_a,
        invite_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "members:change_role": (
        "post",
        member_a_row,
        role_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "members:remove": (
        "post",
        member_a_row,
        None,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "members:resend": (
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
    "assessments:school_assessments": ("get", lambda w: year_of_a(w)[:1], None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:current": ("get", lambda w: year_of_a(w)[:1], None, statuses(404, s302=SCHOOL_A_READERS)),
    "assessments:home": ("get", year_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:domain": ("get", domain_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:synthesis": ("get", year_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:history": ("get", indicator_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:answer_save": (
        "post",
        indicator_of_a,
        answer_data,
        statuses(404, s302=FILLERS_A, s403=SCHOOL_A_READERS - FILLERS_A),
    ),
    "assessments:domain_save": (
        "post",
        domain_of_a,
        domain_save_data,
        statuses(404, s302=FILLERS_A, s403=SCHOOL_A_READERS - FILLERS_A),
    ),
    "assessments:validate": (
        "post",
        draft_of_a,
        validate_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "assessments:ready": (
        "post",
        draft_of_a,
        None,
        statuses(404, s302={"rupn_a"}, s403=SCHOOL_A_READERS - {"rupn_a"}),
    ),
    "assessments:reopen": (
        "post",
        validated_of_a,
        None,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "assessments:start_from_previous": (
        "post",
        year_of_a,
        None,
        statuses(404, s302=FILLERS_A, s403=SCHOOL_A_READERS - FILLERS_A),
    ),
    "assessments:edition": ("get", year_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:export_pdf": ("get", draft_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:export_ods": ("get", draft_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "assessments:export_csv": ("get", draft_of_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "campaigns:list": ("get", None, None, statuses(404, s200=DANE_BORDEAUX | {"dane_rennes"})),
    "campaigns:close": ("post", bordeaux_campaign, None, statuses(404, s302=DANE_BORDEAUX)),
    "campaigns:reopen": ("post", bordeaux_campaign, None, statuses(404, s302=DANE_BORDEAUX)),
    "campaigns:delete": ("post", bordeaux_campaign, None, statuses(404, s302=DANE_BORDEAUX)),
    "campaigns:edit": ("post", bordeaux_campaign, campaign_dates_data, statuses(404, s302=DANE_BORDEAUX)),
    "schools:list": ("get", None, None, statuses(404, s200=TERRITORIAL)),
    "steering:index": ("get", steering_index, None, statuses(404, s302=BORDEAUX_STEERING, s200={"dane_rennes"})),
    "steering:progress": ("get", bordeaux_campaign, None, statuses(404, s200=BORDEAUX_STEERING)),
    "steering:maturity": ("get", bordeaux_campaign, None, statuses(404, s200=BORDEAUX_STEERING)),
    "steering:indicators": ("get", bordeaux_campaign, None, statuses(404, s200=BORDEAUX_STEERING)),
    "steering:trends": ("get", bordeaux_campaign, None, statuses(404, s200=BORDEAUX_STEERING)),
    "steering:export": ("get", campaign_export, None, statuses(404, s200=BORDEAUX_STEERING)),
    "steering:reminders": ("get", bordeaux_campaign, None, statuses(404, s200=BORDEAUX_STEERING)),
    "steering:remind": ("post", bordeaux_campaign, reminder_data, statuses(404, s302=BORDEAUX_STEERING)),
    "territories:school_detail": ("get", school_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "missions:school": ("get", school_a, None, statuses(404, s200=SCHOOL_A_READERS)),
    "missions:designate": (
        "post",
        school_a,
        designate_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:designation_change": (
        "post",
        designation_args,
        designation_change_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:designation_end": (
        "post",
        designation_args,
        designation_end_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:letter_start": (
        "post",
        designation_args,
        None,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    # A signed letter is the school's and its territory's to read; a draft only the direction's and the RUPN's.
    "missions:letter": ("get", letter_args("signee"), None, statuses(404, s200=SCHOOL_A_READERS)),
    "missions:letter_pdf": ("get", letter_args("signee"), None, statuses(404, s200=SCHOOL_A_READERS)),
    "missions:letter_odt": ("get", letter_args("signee"), None, statuses(404, s200=SCHOOL_A_READERS)),
    "missions:letter_edit": (
        "get",
        letter_args("brouillon"),
        None,
        statuses(404, s200=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:letter_propose": (
        "post",
        letter_args("brouillon"),
        revision_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:letter_withdraw": (
        "post",
        letter_args("proposee"),
        revision_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:letter_accept": (
        "post",
        letter_args("proposee"),
        revision_data,
        statuses(404, s302={"rupn_a"}, s403=DIRECTION_A),
    ),
    "missions:letter_send_back": (
        "post",
        letter_args("proposee"),
        send_back_data,
        statuses(404, s302={"rupn_a"}, s403=DIRECTION_A),
    ),
    "missions:letter_sign": (
        "post",
        letter_args("acceptee"),
        revision_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:letter_presentations": (
        "post",
        letter_args("signee"),
        presentations_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:letter_supersede": (
        "post",
        letter_args("signee"),
        revision_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "missions:letter_delete": (
        "post",
        letter_args("brouillon"),
        revision_data,
        statuses(404, s302=DIRECTION_A, s403=SCHOOL_A_READERS - DIRECTION_A),
    ),
    "catalogue:list": ("get", None, None, statuses(200)),
    "catalogue:entry": (
        "get",
        bordeaux_catalogue_entry,
        None,
        statuses(
            404,
            s200=DANE_BORDEAUX,
            s403={"chef_a", "adjoint_a", "rupn_a", "member_a", "rupn_b", "correspondant_40", "correspondant_64"},
        ),
    ),
    "network:list": ("get", None, None, statuses(404, s200=TERRITORIAL)),
    "network:export": ("get", lambda w: ["csv"], None, statuses(404, s200=TERRITORIAL)),
}

# view name -> the guards its decorators carry (`view.guards`, outermost first), named
# `resource:action` after the ability the view needs. Pages without a guard are public or the
# signed-in user's own (their profile, their data, the referential everyone reads).
GUARDS = {
    **dict.fromkeys(
        [
            "home",
            "core:health",
            "accounts:login",
            "accounts:logout",
            "accounts:password_reset",
            "accounts:password_reset_done",
            "accounts:password_reset_confirm",
            "accounts:password_reset_complete",
            "accounts:password_change",
            "accounts:profile",
            "accounts:my_schools",
            "accounts:my_data",
            "referential:version_list",
            "referential:version_detail",
        ],
        (),
    ),
    "members:list": ("member:read",),
    "members:invite": ("member:manage",),
    "members:change_role": ("member:manage",),
    "members:remove": ("member:manage",),
    "members:resend": ("member:manage",),
    "accounts:territory_roles": ("territory_role:manage",),
    "accounts:territory_role_add": ("territory_role:manage",),
    "accounts:territory_role_remove": ("territory_role:manage",),
    **dict.fromkeys(
        [
            "assessments:school_assessments",
            "assessments:current",
            "assessments:home",
            "assessments:domain",
            "assessments:synthesis",
            "assessments:history",
            "assessments:edition",
            "assessments:export_pdf",
            "assessments:export_ods",
            "assessments:export_csv",
            "territories:school_detail",
            "missions:school",
            "missions:letter",
            "missions:letter_pdf",
            "missions:letter_odt",
        ],
        ("school:read",),
    ),
    "assessments:answer_save": ("assessment:fill",),
    "assessments:domain_save": ("assessment:fill",),
    "assessments:validate": ("assessment:validate",),
    "assessments:ready": ("assessment:signal_ready",),
    "assessments:reopen": ("assessment:reopen",),
    "assessments:start_from_previous": ("assessment:start_from_previous",),
    **dict.fromkeys(
        [
            "campaigns:list",
            "campaigns:close",
            "campaigns:reopen",
            "campaigns:delete",
            "campaigns:edit",
        ],
        ("campaign:manage",),
    ),
    "schools:list": ("school:browse",),
    **dict.fromkeys(
        [
            "steering:index",
            "steering:progress",
            "steering:maturity",
            "steering:indicators",
            "steering:trends",
            "steering:export",
            "steering:reminders",
        ],
        ("steering:read",),
    ),
    "steering:remind": ("steering:remind",),
    "missions:designate": ("mission:manage",),
    "missions:designation_change": ("mission:manage",),
    "missions:designation_end": ("mission:manage",),
    "missions:letter_start": ("letter:start",),
    "missions:letter_edit": ("letter:edit",),
    "missions:letter_propose": ("letter:propose",),
    "missions:letter_withdraw": ("letter:withdraw",),
    "missions:letter_accept": ("letter:accept",),
    "missions:letter_send_back": ("letter:send_back",),
    "missions:letter_sign": ("letter:sign",),
    "missions:letter_presentations": ("letter:record_presentations",),
    "missions:letter_supersede": ("letter:supersede",),
    "missions:letter_delete": ("letter:delete",),
    # Everyone signed in reads the catalogue; its POST adds an entry, the DANE's action (403).
    "catalogue:list": ("catalogue:read", "catalogue:add"),
    "catalogue:entry": ("catalogue:manage",),
    "network:list": ("network:read",),
    "network:export": ("network:read",),
}
# Posts that change nothing of the school's or the territory's: signing out.
UNGUARDED_POSTS = {"accounts:logout"}

# The apps of the top layer keep their rows in a module of their own (tests/security/matrix/<app>.py),
# each with `extend(matrix)`: it adds its MATRIX and GUARDS rows, and its rows to SNAPSHOTS (what a
# refused request must leave unchanged), reading this module's helpers (`matrix.statuses`,
# `matrix.school_a`, `matrix.SCHOOL_A_READERS`…).
SNAPSHOTS = []
for _extension in MATRIX_EXTENSIONS:
    _extension.extend(sys.modules[__name__])

CELLS = [(view, persona) for view in MATRIX for persona in PERSONAS]

# Steering cells beyond the one row per view above: every board × format of the export, and the
# reminders page read (GET) as well as posted. label -> (view, method, args builder, {persona: status})
STEERING_BOARDS = ["progress", "maturity", "distribution", "indicators", "trends"]
STEERING_EXTRA = {
    **{
        f"steering:export:{board}.{fmt}": (
            "steering:export",
            "get",
            lambda w, board=board, fmt=fmt: [open_campaign(w).pk, board, fmt],
            statuses(404, s200=BORDEAUX_STEERING),
        )
        for board in STEERING_BOARDS
        for fmt in ("csv", "ods")
    },
    "steering:reminders:get": ("steering:reminders", "get", bordeaux_campaign, statuses(404, s200=BORDEAUX_STEERING)),
    # The send's confirmation page: read only (its target comes from the query string, none here).
    "steering:remind:get": ("steering:remind", "get", bordeaux_campaign, statuses(404, s302=BORDEAUX_STEERING)),
}
STEERING_CELLS = [(label, persona) for label in STEERING_EXTRA for persona in PERSONAS]


def test_every_view_has_a_row():
    """A new view without a rule in this table fails here."""
    assert set(MATRIX) == set(pilotis_route_names())


def test_every_view_names_its_guard():
    """Each view carries the guards this table names, each named `resource:action`."""
    assert set(GUARDS) == set(MATRIX)
    views = {name: pattern.callback for name, pattern in iter_routes() if name in GUARDS}
    carried = {name: tuple(getattr(view, "guards", ())) for name, view in views.items()}
    assert carried == GUARDS
    assert all(GUARD_NAME.match(guard) for names in carried.values() for guard in names)
    assert all(views[name].guard == names[0] for name, names in carried.items() if names)


def test_every_state_changing_view_is_guarded_by_an_action():
    """A view the table posts to is guarded by the ability it needs, not by reading (`school:read`)."""
    posted = {view for view, (method, *_rest) in MATRIX.items() if method == "post"} - UNGUARDED_POSTS
    for view in posted:
        assert GUARDS[view], view
        assert not set(GUARDS[view]) & {"school:read", "steering:read", "member:read"}, view


def _snapshot():
    return (
        sorted(Answer.objects.values_list("pk", "status", "comment", "revision")),
        sorted(Assessment.objects.values_list("pk", "state", "ready_at")),
        sorted(Campaign.objects.values_list("pk", "state")),
        sorted(SchoolMembership.objects.values_list("pk", "user_id", "school_id", "role")),
        sorted(TerritoryRole.objects.values_list("pk", "user_id", "kind", "department_id", "academy_id")),
        sorted(ReminderBatch.objects.values_list("pk", flat=True)),
        sorted(Designation.objects.values_list("pk", "imp_amount", "starts_on", "ends_on")),
        sorted(MissionLetter.objects.values_list("pk", "state", "revision")),
        sorted(CatalogueEntry.objects.values_list("pk", "text", "is_active")),
        *(snapshot() for snapshot in SNAPSHOTS),
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


@pytest.mark.parametrize(("label", "persona"), STEERING_CELLS, ids=[f"{v}-{p}" for v, p in STEERING_CELLS])
def test_steering_cell(client_for, world, label, persona):
    view, method, args, expected = STEERING_EXTRA[label]
    client = client_for(persona)
    url = reverse(view, args=args(world))
    before = _snapshot()
    response = client.get(url) if method == "get" else client.post(url)
    assert response.status_code == expected[persona], (label, persona, response.status_code)
    assert _snapshot() == before, "a read changed data"
    if response.status_code == 404:
        assert world.school_a.name not in response.content.decode()
        assert AuditEvent.objects.filter(action="access_denied").exists()
