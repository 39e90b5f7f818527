"""Arbitrary input on every form — Unicode, NUL, 10,000 characters — is never a 5xx and never
stores a NUL; the main forms, varied one field at a time, do what they say or refuse with their
message."""

import datetime
import html
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.forms import Form
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership, User
from pilotis.assessments.models import Answer, Campaign
from pilotis.core.school_years import current_school_year
from pilotis.steering.models import Reminder
from pilotis.territories.models import School
from tests.factories import PASSWORD
from tests.security.fuzz import NASTY, OUT_OF_RANGE_VALUES, SETTINGS, post_ok, rolled_back


@pytest.fixture
def referential(mini_referential):
    """The forms are posted on the two-domain referential's campaign (the shared `campaign`)."""
    return mini_referential


def no_nul_stored():
    for model, fields in [
        (User, ["username", "email", "first_name", "last_name"]),
        (Answer, ["comment", "status"]),
        (Campaign, ["school_year"]),
    ]:
        # Checked in Python: SQLite's LIKE stops at a NUL, so a `__contains` lookup would match everything.
        for row in model.objects.values_list(*fields):
            assert not any("\x00" in (value or "") for value in row), (model, row)


@SETTINGS
@given(status=NASTY, comment=NASTY, revision=NASTY)
def test_answer_form(client_for, world, campaign, status, comment, revision):
    client = client_for("rupn_a")
    url = reverse("assessments:answer_save", args=[world.school_a.uai, "2026-2027", "PIL.1.01"])
    post_ok(
        client, url, {"status": status, "comment": comment, "seen_revision": revision}, headers={"HX-Request": "true"}
    )
    post_ok(client, url, {"status": "realise", "comment": comment})
    no_nul_stored()


@SETTINGS
@given(status=NASTY, comment=NASTY, revision=NASTY, confirm=NASTY)
def test_domain_page_form(client_for, world, campaign, status, comment, revision, confirm):
    url = reverse("assessments:domain_save", args=[world.school_a.uai, "2026-2027", "PIL"])
    data = {"PIL.1.01-status": status, "PIL.1.01-comment": comment, "PIL.1.01-seen_revision": revision}
    post_ok(client_for("rupn_a"), url, {**data, "PIL.1.02-status": "realise", "confirm": confirm, "from": confirm})
    no_nul_stored()


@SETTINGS
@given(email=NASTY, kind=NASTY, department=NASTY)
def test_territory_role_form(client_for, world, email, kind, department):
    url = reverse("accounts:territory_role_add")
    post_ok(
        client_for("dane"),
        url,
        {"email": email, "first_name": "A", "last_name": "B", "kind": kind, "department": department},
    )
    no_nul_stored()


@SETTINGS
@given(q=NASTY, department=NASTY, kind=NASTY, priority=NASTY, sort=NASTY, page=NASTY)
def test_dashboard_filters(client_for, world, campaign, q, department, kind, priority, sort, page):
    client = client_for("correspondant_40")
    params = {"q": q, "department": department, "kind": kind, "priority": priority, "sort": sort, "page": page}
    for board in ("progress", "maturity", "indicators", "trends"):
        response = client.get(reverse(f"steering:{board}", args=[campaign.pk]), {**params, "state": sort, "over": sort})
        assert response.status_code == 200, (board, params)
        assert world.school_b.name not in response.content.decode()
    export = client.get(reverse("steering:export", args=[campaign.pk, "maturity", "csv"]), params)
    assert export.status_code == 200


@SETTINGS
@given(target=NASTY, department=NASTY)
def test_reminder_form(client_for, world, campaign, target, department):
    url = reverse("steering:remind", args=[campaign.pk])
    client = client_for("correspondant_40")
    assert client.get(url, {"target": target, "department": department}).status_code < 500  # the confirmation
    post_ok(client, url, {"target": target, "department": department})
    assert not Reminder.objects.exclude(school__department=world.landes).exists()


@SETTINGS
@given(username=NASTY, password=NASTY)
def test_login_form(client, world, username, password):
    post_ok(client, reverse("accounts:login"), {"username": username, "password": password})
    no_nul_stored()


@SETTINGS
@given(email=NASTY)
def test_password_reset_form(client, world, email):
    post_ok(client, reverse("accounts:password_reset"), {"email": email})


@pytest.mark.parametrize("value", OUT_OF_RANGE_VALUES)
def test_ids_out_of_range_are_invalid_choices(client_for, world, draft_letter, value):
    """Every model choice of the forms, with an id no column holds: « choix valide », a 400."""
    from pilotis.missions.models import MissionLetter

    letter = MissionLetter.objects.get(pk=draft_letter.pk)
    uai = world.school_a.uai
    posts = [
        ("chef_a", reverse("missions:letter_edit", args=[uai, letter.pk]), "indicators", value),
        ("chef_a", reverse("missions:letter_edit", args=[uai, letter.pk]), "indicators", ["1", value]),
        ("chef_a", reverse("missions:designate", args=[uai]), "member", value),
        ("dane", reverse("accounts:territory_role_add"), "department", value),
        ("dane", reverse("campaigns:list"), "referential", value),
    ]
    for persona, url, field, data in posts:
        response = client_for(persona).post(url, {"seen_revision": letter.revision, field: data})
        assert response.status_code == 400, (url, field, data, response.status_code)
        codes = {
            error.code
            for context in response.context
            for form in context.flatten().values()
            if isinstance(form, Form) and form.is_bound and field in form.errors
            for error in form.errors.as_data()[field]
        }
        assert codes & {"invalid_choice", "invalid_pk_value"}, (url, field, data, codes)


@pytest.mark.parametrize("value", OUT_OF_RANGE_VALUES)
def test_revisions_out_of_range_are_invalid(client_for, world, draft_letter, value):
    """A revision no column holds is an invalid value (a 400), not an overflowing query."""
    answer = reverse("assessments:answer_save", args=[world.school_a.uai, "2026-2027", "PIL.1.01"])
    response = client_for("rupn_a").post(
        answer, {"status": "realise", "comment": "", "seen_revision": value}, headers={"HX-Request": "true"}
    )
    assert response.status_code < 500
    letter = reverse("missions:letter_edit", args=[world.school_a.uai, draft_letter.pk])
    response = client_for("chef_a").post(letter, {"means_time": "Une heure", "seen_revision": value})
    assert response.status_code < 500
    if value.strip().lstrip("-").isdigit() and not 0 <= int(value) < 2**31:
        assert response.status_code == 400


def test_the_database_is_the_one_under_test():
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.fixture
def draft_letter(world, campaign):
    from pilotis.missions import services as mission_services
    from pilotis.missions.catalogue import ensure_shipped_entries
    from pilotis.missions.models import CatalogueEntry
    from pilotis.missions.services import school_year_bounds

    ensure_shipped_entries(CatalogueEntry)  # should a transactional test have emptied the tables
    first, last = school_year_bounds(current_school_year())
    designation = mission_services.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=current_school_year(),
        starts_on=first,
        ends_on=last,
        imp_amount=Decimal("1250.00"),
        by=world.chef_a,
    )
    return mission_services.start_letter(designation, by=world.chef_a)


def no_nul_in_letters():
    from pilotis.missions.models import CatalogueEntry, LetterMission, MissionLetter

    for model, fields in [
        (MissionLetter, ["means_time", "means_equipment", "means_room", "training", "free_text", "returned_comment"]),
        (LetterMission, ["text", "priority"]),
        (CatalogueEntry, ["text"]),
    ]:
        for row in model.objects.values_list(*fields):
            assert not any("\x00" in (value or "") for value in row), (model, row)


@SETTINGS
@given(text=NASTY, other=NASTY, priority=NASTY, indicator=NASTY, revision=NASTY)
def test_letter_form(client_for, world, draft_letter, text, other, priority, indicator, revision):
    from pilotis.missions.models import CatalogueEntry, MissionLetter

    letter = MissionLetter.objects.get(pk=draft_letter.pk)
    entry = CatalogueEntry.objects.first()
    url = reverse("missions:letter_edit", args=[world.school_a.uai, letter.pk])
    data = {
        "means_time": text,
        "means_equipment": other,
        "training": text,
        "free_text": other,
        f"mission_{entry.pk}": priority,
        "indicators": indicator,
        "pedagogical_council": other,
    }
    client = client_for("chef_a")
    post_ok(client, url, {**data, "seen_revision": revision})
    post_ok(client, url, {**data, "seen_revision": letter.revision})
    no_nul_in_letters()


@SETTINGS
@given(member=NASTY, email=NASTY, year=NASTY, start=NASTY, imp=NASTY)
def test_designation_form(client_for, world, member, email, year, start, imp):
    url = reverse("missions:designate", args=[world.school_a.uai])
    data = {"member": member, "email": email, "school_year": year, "starts_on": start, "imp_amount": imp}
    post_ok(client_for("chef_a"), url, data)
    post_ok(client_for("chef_a"), url, {**data, "school_year": current_school_year(), "imp_amount": "625.00"})
    no_nul_stored()


@SETTINGS
@given(comment=NASTY, revision=NASTY, heading=NASTY, text=NASTY)
def test_send_back_and_catalogue_forms(client_for, world, draft_letter, comment, revision, heading, text):
    from pilotis.missions.models import MissionLetter

    letter = MissionLetter.objects.get(pk=draft_letter.pk)
    url = reverse("missions:letter_send_back", args=[world.school_a.uai, letter.pk])
    post_ok(client_for("rupn_a"), url, {"comment": comment, "seen_revision": revision})
    post_ok(
        client_for("dane"),
        reverse("catalogue:list"),
        {"heading": heading, "function": "conseil", "text": text},
    )
    post_ok(
        client_for("dane"),
        reverse("catalogue:list"),
        {"heading": "communication", "function": "conseil", "text": text},
    )
    no_nul_in_letters()


@SETTINGS
@given(role=NASTY)
def test_change_role_form(client_for, world, role):
    membership = SchoolMembership.objects.get(user=world.member_a, school=world.school_a)
    url = reverse("members:change_role", args=[world.school_a.uai, membership.pk])
    post_ok(client_for("chef_a"), url, {f"m{membership.pk}-role": role})
    membership.refresh_from_db()
    assert membership.role in {"membre", "rupn", "adjoint", "chef"}


@SETTINGS
@given(start=NASTY, end=NASTY, imp=NASTY, revision=NASTY, day=NASTY)
def test_designation_change_end_and_presentations_forms(
    client_for, world, draft_letter, start, end, imp, revision, day
):
    from pilotis.missions.models import Designation, MissionLetter

    designation = Designation.objects.get(pk=draft_letter.designation_id)
    before = (designation.starts_on, designation.ends_on, designation.imp_amount, designation.ended_early)
    chef = client_for("chef_a")
    uai = world.school_a.uai
    post_ok(
        chef,
        reverse("missions:designation_change", args=[uai, designation.pk]),
        {"starts_on": start, "ends_on": end, "imp_amount": imp},
    )
    post_ok(chef, reverse("missions:designation_end", args=[uai, designation.pk]), {"ends_on": end})
    letter = MissionLetter.objects.get(pk=draft_letter.pk)
    post_ok(
        chef,
        reverse("missions:letter_presentations", args=[uai, letter.pk]),
        {"pedagogical_council_on": day, "board_on": day, "seen_revision": revision},
    )
    # Arbitrary text is no date nor amount: the designation is as it was.
    designation.refresh_from_db()
    assert (designation.starts_on, designation.ends_on, designation.imp_amount, designation.ended_early) == before


@SETTINGS
@given(heading=NASTY, function=NASTY, text=NASTY, active=NASTY)
def test_catalogue_entry_change_form(client_for, world, heading, function, text, active):
    from pilotis.missions.models import CatalogueEntry

    entry = CatalogueEntry.objects.create(
        academy=world.bordeaux, heading="communication", function="conseil", text="Lettre"
    )
    url = reverse("catalogue:entry", args=[entry.pk])
    post_ok(client_for("dane"), url, {"heading": heading, "function": function, "text": text, "is_active": active})
    no_nul_in_letters()


@SETTINGS
@given(share=NASTY, year=NASTY, state=NASTY, q=NASTY, department=NASTY)
def test_trends_and_network_filters(client_for, world, campaign, share, year, state, q, department):
    client = client_for("correspondant_40")
    trends = client.get(reverse("steering:trends", args=[campaign.pk]), {"share": share, "department": department})
    assert trends.status_code == 200
    network = client.get(reverse("network:list"), {"year": year, "state": state, "q": q, "department": department})
    assert network.status_code == 200
    assert world.school_b.name not in network.content.decode()
    export = client.get(reverse("network:export", args=["csv"]), {"year": year, "state": state, "q": q})
    assert export.status_code == 200


# One field at a time. Each form below is posted with every field valid but one, which is either
# another valid value or an arbitrary one; the outcome is asserted: done (and stored as cleaned),
# or refused with the form's message and nothing stored. Each property also counts its outcomes
# and fails unless some examples were done and some refused: it must reach the path it names.
# Every example runs in a savepoint rolled back after it, so that examples do not see each other.


def form_errors(response) -> dict:
    """The bound forms' errors on the page: field → messages."""
    errors = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, Form) and value.is_bound:
                errors.update(value.errors)
    return errors


def assert_refused(response, *fields):
    """Refused: a 400 whose form says what is wrong, on the page, next to one of `fields`."""
    assert response.status_code == 400, response.status_code
    errors = form_errors(response)
    assert set(errors) & {*fields, "__all__"}, errors
    page = html.unescape(response.content.decode())
    assert any(message in page for messages in errors.values() for message in messages), errors


# A date is refused on either date: « the closing must follow the opening » stands on the closing.
DATES = ("opens_on", "closes_on")


def reached(outcomes):
    assert outcomes["done"] and outcomes["refused"], dict(outcomes)


ROLES = [role for role in SchoolRole.values if role != SchoolRole.CHEF]
# E-mail addresses on ASCII domain names (Django's own rule for the domain part of an address).
EMAILS = st.emails(domains=st.sampled_from(["ac-bordeaux.fr", "example.org", "college-dax.fr"])).filter(
    lambda e: len(e) <= 254
)
NAMES = st.text(st.characters(categories=("Lu", "Ll")), min_size=1, max_size=40)
INVITE_FIELDS = ["email", "first_name", "last_name", "role"]
INVITE = st.fixed_dictionaries(
    {"email": EMAILS, "first_name": NAMES, "last_name": NAMES, "role": st.sampled_from(ROLES)}
)


def test_invite_form(client_for, world):
    outcomes = Counter()

    @SETTINGS
    @given(valid=INVITE, field=st.sampled_from(sorted(INVITE_FIELDS)), nasty=st.none() | NASTY)
    @example(
        valid={"email": "a.b@ac-bordeaux.fr", "first_name": "Anne", "last_name": "Bé", "role": "rupn"},
        field="email",
        nasty=None,
    )
    @example(
        valid={"email": "a.b@ac-bordeaux.fr", "first_name": "Anne", "last_name": "Bé", "role": "rupn"},
        field="last_name",
        nasty="B\x00B",
    )
    def invite(valid, field, nasty):
        data = valid if nasty is None else {**valid, field: nasty}
        with rolled_back():
            before = SchoolMembership.objects.filter(school=world.school_a).count()
            response = client_for("chef_a").post(reverse("members:invite", args=[world.school_a.uai]), data)
            no_nul_stored()
            if response.status_code == 302:
                outcomes["done"] += 1
                membership = SchoolMembership.objects.get(
                    school=world.school_a, user__email=data["email"].strip().lower()
                )
                assert membership.role == data["role"]
                assert (membership.user.first_name, membership.user.last_name) == (
                    data["first_name"].strip(),
                    data["last_name"].strip(),
                )
            else:
                outcomes["refused"] += 1
                assert nasty is not None, (data, form_errors(response))  # every field valid: invited
                assert_refused(response, field)
                assert SchoolMembership.objects.filter(school=world.school_a).count() == before
            if nasty is not None and "\x00" in nasty:
                assert response.status_code == 400

    invite()
    reached(outcomes)


@st.composite
def campaign_dates(draw, start_year):
    """An opening within the school year that starts in September of `start_year`, and a closing
    on or after it."""
    opens = datetime.date(start_year, 9, 1) + datetime.timedelta(days=draw(st.integers(0, 364)))
    closes = opens + datetime.timedelta(days=draw(st.integers(0, 400)))
    return opens, closes


@st.composite
def new_campaigns(draw):
    start = draw(st.integers(2026, 2040))
    opens, closes = draw(campaign_dates(start))
    return {"school_year": f"{start}-{start + 1}", "opens_on": opens.isoformat(), "closes_on": closes.isoformat()}


def test_campaign_form(client_for, world, mini_referential):
    outcomes = Counter()

    @SETTINGS
    @given(
        valid=new_campaigns(),
        field=st.sampled_from(["school_year", "opens_on", "closes_on", "referential"]),
        nasty=st.none() | NASTY,
    )
    @example(
        valid={"school_year": "2027-2028", "opens_on": "2027-09-01", "closes_on": "2028-06-30"},
        field="opens_on",
        nasty=None,
    )
    @example(
        valid={"school_year": "2027-2028", "opens_on": "2027-09-01", "closes_on": "2028-06-30"},
        field="opens_on",
        nasty="2028-09-01",
    )
    def open_one(valid, field, nasty):
        data = {**valid, "referential": str(mini_referential.pk)}
        if nasty is not None:
            data[field] = nasty
        with rolled_back():
            response = client_for("dane").post(reverse("campaigns:list"), data)
            no_nul_stored()
            if response.status_code == 302:
                outcomes["done"] += 1
                campaign = Campaign.objects.get(academy=world.bordeaux)
                assert campaign.school_year == data["school_year"].strip()
                assert campaign.referential_id == mini_referential.pk
                # Opened within its own school year, closing after it opens.
                start = int(campaign.school_year[:4])
                assert datetime.date(start, 9, 1) <= campaign.opens_on <= datetime.date(start + 1, 8, 31)
                assert campaign.opens_on <= campaign.closes_on
            else:
                outcomes["refused"] += 1
                assert nasty is not None, (data, form_errors(response))  # every field valid: opened
                assert_refused(response, *(DATES if field in DATES else [field]))
                assert not Campaign.objects.exists()

    open_one()
    reached(outcomes)


def test_campaign_dates_form(client_for, world, campaign):
    outcomes = Counter()
    url = reverse("campaigns:edit", args=[campaign.pk])

    @SETTINGS
    @given(dates=campaign_dates(2026), field=st.sampled_from(["opens_on", "closes_on"]), nasty=st.none() | NASTY)
    @example(dates=(datetime.date(2026, 10, 1), datetime.date(2027, 5, 31)), field="opens_on", nasty=None)
    @example(dates=(datetime.date(2026, 10, 1), datetime.date(2027, 5, 31)), field="closes_on", nasty="2026-09-30")
    def move(dates, field, nasty):
        data = {"opens_on": dates[0].isoformat(), "closes_on": dates[1].isoformat()}
        if nasty is not None:
            data[field] = nasty
        with rolled_back():
            before = Campaign.objects.values_list("opens_on", "closes_on").get(pk=campaign.pk)
            response = client_for("dane").post(url, data)
            after = Campaign.objects.values_list("opens_on", "closes_on").get(pk=campaign.pk)
            if response.status_code == 302:
                outcomes["done"] += 1
                assert after == (
                    datetime.date.fromisoformat(data["opens_on"].strip()),
                    datetime.date.fromisoformat(data["closes_on"].strip()),
                )
                assert datetime.date(2026, 9, 1) <= after[0] <= after[1]
            else:
                outcomes["refused"] += 1
                assert nasty is not None, (data, form_errors(response))  # valid dates: moved
                assert_refused(response, *DATES)
                assert after == before

    move()
    reached(outcomes)


NEW_PASSWORDS = st.text(st.characters(categories=("Lu", "Ll", "Nd")), min_size=6, max_size=30).map(
    lambda text: "Pilotis-" + text
)


def test_password_change_form(client_for, world):
    outcomes = Counter()
    url = reverse("accounts:password_change")

    @SETTINGS
    @given(
        new=NEW_PASSWORDS,
        field=st.sampled_from(["old_password", "new_password1", "new_password2"]),
        nasty=st.none() | NASTY,
    )
    @example(new="Pilotis-Ardoise42", field="old_password", nasty=None)
    @example(new="Pilotis-Ardoise42", field="old_password", nasty="not the password")
    def change(new, field, nasty):
        data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        if nasty is not None:
            data[field] = nasty
        with rolled_back():
            response = client_for("member_a").post(url, data)
            user = User.objects.get(pk=world.member_a.pk)
            if response.status_code == 302:
                outcomes["done"] += 1
                assert user.check_password(data["new_password1"]) and not user.check_password(PASSWORD)
            else:
                outcomes["refused"] += 1
                assert nasty is not None, (data, form_errors(response))  # the right password: changed
                assert response.status_code in (200, 400)
                errors = form_errors(response)
                assert set(errors) & {field, "new_password2", "__all__"}, errors
                assert user.check_password(PASSWORD)

    change()
    reached(outcomes)


# Words of school A's name, commune and UAI, and of the schools outside the Landes.
SEARCH_WORDS = ["Alpha", "alpha", "Collège", "Dax", "Bravo", "Charlie", "Rennes", "Pau", ""]


def test_school_search(client_for, world):
    """A correspondent of the Landes finds school A by any word of it, and never a school outside
    the Landes, whatever the filters say."""
    outcomes = Counter()
    landes = set(School.objects.filter(department=world.landes).values_list("pk", flat=True))
    departments = [str(d.pk) for d in (world.landes, world.pyrenees, world.ille)]

    @SETTINGS
    @given(
        q=st.sampled_from([*SEARCH_WORDS, world.school_a.uai, world.school_c.uai]) | NASTY,
        department=st.sampled_from(["", *departments]) | NASTY,
        kind=st.sampled_from(["", "college", "lycee_gt"]) | NASTY,
        page=st.sampled_from(["", "1", "2"]) | NASTY,
    )
    @example(q="Alpha", department="", kind="", page="")
    def search(q, department, kind, page):
        response = client_for("correspondant_40").get(
            reverse("schools:list"), {"q": q, "department": department, "kind": kind, "page": page}
        )
        assert response.status_code == 200
        found = {school.pk for school in response.context["page_obj"]}
        assert found <= landes, found
        unfiltered = department in ("", str(world.landes.pk)) and kind in ("", "college")
        if q in ("Alpha", "alpha", "Dax", world.school_a.uai) and unfiltered:
            assert world.school_a.pk in found
        outcomes["done" if world.school_a.pk in found else "refused"] += 1

    search()
    reached(outcomes)
