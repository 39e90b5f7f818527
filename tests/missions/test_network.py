"""The referents' network: scope, filters, counts per département, exports, no IMP, constant queries."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import vobject
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from pilotis.core.school_years import current_school_year
from pilotis.missions import services
from pilotis.missions.enums import LetterState, MissionPriority
from pilotis.missions.models import CatalogueEntry, Designation, MissionLetter
from pilotis.missions.network import territory_schools
from tests.factories import MembershipFactory, SchoolFactory, TerritoryRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = current_school_year()
FIRST, LAST = services.school_year_bounds(YEAR)
# Each way the amount could be shown — with its cents or its euro sign, as `imp_label` writes it —
# but not a bare « 1250 »: that is also a factory's sequence number, in a user's or a school's name
# once the suite has created that many. The word « IMP » is looked for as well.
IMP = Decimal("1250.00")
IMP_SPELLINGS = [
    whole + tail
    for whole in ("1250", "1 250", "1\u202f250", "1\xa0250")
    for tail in (",00", ".00", " €", "\xa0€", "\u202f€", "€")
]
NOT_ALLOWED = ["chef_a", "adjoint_a", "rupn_a", "member_a", "rupn_b", "chef_c", "nobody"]


def designate(school, user, by, year=YEAR):
    first, last = services.school_year_bounds(year)
    return services.designate(school, user=user, school_year=year, starts_on=first, ends_on=last, imp_amount=IMP, by=by)


def draft(designation, chef):
    letter = services.start_letter(designation, by=chef)
    entry = CatalogueEntry.objects.filter(academy__isnull=True).first()
    return services.update_letter(
        letter,
        fields={"free_text": "Animer le réseau"},
        missions=[(entry, MissionPriority.MAIN)],
        indicators=[],
        seen_revision=letter.revision,
        by=chef,
    )


def proposed(designation, chef):
    letter = draft(designation, chef)
    return services.propose_letter(letter, by=chef, seen_revision=letter.revision)


def signed(designation, chef):
    letter = proposed(designation, chef)
    letter = services.accept_letter(letter, by=designation.user, seen_revision=letter.revision)
    return services.sign_letter(letter, by=chef, seen_revision=letter.revision)


@pytest.fixture
def net(world):
    """School A: rupn_a, letter signed. School B: rupn_b, letter proposed. School C (Rennes): a draft.
    In the Landes besides: `empty` (nobody designated), `two` (two RUPN, one letter signed, one
    draft) and `ended` (its only designation ended early)."""
    chef_b = MembershipFactory(user=UserFactory(username="chef_b"), school=world.school_b, role=SchoolRole.CHEF).user
    rupn_c = UserFactory(username="rupn_c", first_name="Corentin", last_name="Le Gall")
    empty = SchoolFactory(name="Collège Echo", department=world.landes, commune="Mont-de-Marsan")
    two = SchoolFactory(name="Collège Tango", department=world.landes, commune="Tarnos")
    ended = SchoolFactory(name="Collège Écrin", department=world.landes, commune="Aire-sur-l'Adour")
    chef_two = MembershipFactory(user=UserFactory(username="chef_two"), school=two, role=SchoolRole.CHEF).user
    chef_ended = MembershipFactory(user=UserFactory(username="chef_ended"), school=ended, role=SchoolRole.CHEF).user

    a = designate(world.school_a, world.rupn_a, world.chef_a)
    signed(a, world.chef_a)
    proposed(designate(world.school_b, world.rupn_b, chef_b), chef_b)
    draft(designate(world.school_c, rupn_c, world.chef_c), world.chef_c)
    two_first = designate(two, UserFactory(username="tango1", first_name="Inès", last_name="Duval"), chef_two)
    signed(two_first, chef_two)
    draft(designate(two, UserFactory(username="tango2", first_name="Hugo", last_name="Bernard"), chef_two), chef_two)
    gone = designate(ended, UserFactory(username="parti", first_name="Paul", last_name="Parti"), chef_ended)
    services.end_designation(gone, on=timezone.localdate(), by=chef_ended)
    return {"empty": empty, "two": two, "ended": ended, "rupn_c": rupn_c}


def page(client_for, persona, **params):
    return client_for(persona).get(reverse("network:list"), params)


def export(client_for, persona, fmt, **params):
    return client_for(persona).get(reverse("network:export", args=[fmt]), params)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def vcards(response):
    return list(vobject.readComponents(response.content.decode("utf-8")))


def listed(response):
    """The UAIs of the schools in the page's list."""
    return {school.uai for school, _referents in response.context["rows"]}


# --- Scope ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees", "hidden"),
    [
        ("correspondant_40", {"school_a"}, {"school_b", "school_c"}),
        ("correspondant_64", {"school_b"}, {"school_a", "school_c"}),
        ("dane", {"school_a", "school_b"}, {"school_c"}),
        ("dane_rennes", {"school_c"}, {"school_a", "school_b"}),
        ("admin", {"school_a", "school_b", "school_c"}, set()),
    ],
)
def test_each_territory_sees_its_schools_in_the_page_counts_and_exports(client_for, world, net, persona, sees, hidden):
    response = page(client_for, persona)
    assert response.status_code == 200
    content = response.content.decode()
    shown = listed(response)
    departments = {c.code for c in response.context["counts"]}
    uais = {row[1] for row in csv_rows(export(client_for, persona, "csv"))[1:]}
    cards = {card.note.value for card in vcards(export(client_for, persona, "vcf"))}
    for name in sees:
        school = getattr(world, name)
        assert school.uai in shown
        assert reverse("missions:school", args=[school.uai]) in content
        assert school.department.code in departments
        assert school.uai in uais
        assert school.uai in cards
    for name in hidden:
        school = getattr(world, name)
        assert school.uai not in shown
        assert school.name not in content
        assert school.department.code not in departments
        assert school.uai not in uais
        assert school.uai not in cards


@pytest.mark.parametrize("persona", NOT_ALLOWED)
def test_school_personas_and_nobody_get_a_404(client_for, net, persona):
    assert page(client_for, persona).status_code == 404
    assert export(client_for, persona, "csv").status_code == 404
    assert export(client_for, persona, "vcf").status_code == 404


def test_anonymous_is_sent_to_sign_in(client_for, net):
    response = page(client_for, "anonymous")
    assert response.status_code == 302
    assert export(client_for, "anonymous", "csv").status_code == 302


def test_a_chef_who_is_also_correspondent_sees_their_territory_only(client_for, world, net):
    TerritoryRoleFactory(user=world.chef_a, kind=TerritoryRoleKind.CORRESPONDANT, department=world.pyrenees)
    chef = type(world.chef_a).objects.get(pk=world.chef_a.pk)  # `scope` is cached on the object
    assert set(territory_schools(chef)) == {world.school_b}
    response = page(client_for, "chef_a")
    assert listed(response) == {world.school_b.uai}
    assert [c.code for c in response.context["counts"]] == ["064"]
    assert {row[1] for row in csv_rows(export(client_for, "chef_a", "csv"))[1:]} == {world.school_b.uai}


def test_closed_schools_are_left_out(client_for, world, net):
    net["empty"].is_open = False
    net["empty"].save()
    assert net["empty"].uai not in listed(page(client_for, "correspondant_40"))


# --- What a row says -----------------------------------------------------------------------------


def test_rows_name_the_rupn_their_period_and_the_latest_letter(client_for, world, net):
    response = page(client_for, "dane")
    rows = {school.uai: referents for school, referents in response.context["rows"]}
    (a,) = rows[world.school_a.uai]
    assert (a.name, a.email, a.letter_state) == (str(world.rupn_a), world.rupn_a.email, LetterState.SIGNED)
    assert rows[world.school_b.uai][0].letter_state == LetterState.PROPOSED
    assert rows[net["empty"].uai] == []
    # Same start: by name, Hugo Bernard (draft) before Inès Duval (signed).
    assert [r.letter_state for r in rows[net["two"].uai]] == [LetterState.DRAFT, LetterState.SIGNED]
    (gone,) = rows[net["ended"].uai]
    assert gone.ended_early and gone.letter_state is None
    content = response.content.decode()
    assert world.rupn_a.email in content
    assert "Proposée au RUPN" in content
    assert "terminée" in content
    assert "aucun RUPN désigné" in content
    assert FIRST.strftime("%d/%m/%Y") in content


def test_a_signed_letter_being_replaced_still_counts_as_signed(client_for, world, net):
    letter = MissionLetter.objects.get(school=world.school_a, state=LetterState.SIGNED)
    services.supersede_letter(letter, by=world.chef_a, seen_revision=letter.revision)
    response = page(client_for, "correspondant_40", state="signed")
    assert world.school_a.uai in listed(response)
    (referent,) = dict(response.context["rows"])[world.school_a]
    assert referent.letter_state == LetterState.DRAFT and referent.has_signed
    assert "une lettre signée reste en vigueur" in response.content.decode()


# --- Filters -------------------------------------------------------------------------------------


def test_state_filters(client_for, world, net):
    def shown(**params):
        return listed(page(client_for, "correspondant_40", **params))

    a, empty, two, ended = world.school_a.uai, net["empty"].uai, net["two"].uai, net["ended"].uai
    assert shown() == {a, empty, two, ended}
    assert shown(state="no_rupn") == {empty, ended}
    # Two RUPN, one letter signed: the school is not « signed » until both are.
    assert shown(state="unsigned") == {two}
    assert shown(state="signed") == {a}
    assert {row[1] for row in csv_rows(export(client_for, "correspondant_40", "csv", state="no_rupn"))[1:]} == {
        empty,
        ended,
    }


def test_school_filters_search_kind_sector_and_department(client_for, world, net):
    def shown(**params):
        return listed(page(client_for, "dane", **params))

    assert shown(q="tarnos") == {net["two"].uai}
    assert shown(q="ecrin") == {net["ended"].uai}
    assert shown(q=world.school_b.uai.lower()) == {world.school_b.uai}
    assert shown(kind="lycee_gt") == {world.school_b.uai}
    assert shown(sector="prive") == set()
    assert shown(department=world.pyrenees.pk) == {world.school_b.uai}


def test_a_departement_out_of_scope_is_ignored_and_said_so(client_for, world, net):
    response = page(client_for, "correspondant_40", department=world.pyrenees.pk, q="alpha")
    assert response.status_code == 200
    assert [str(n) for n in response.context["notices"]] == [
        "Certains filtres n'étaient pas valides : ils ont été ignorés."
    ]
    assert "Certains filtres n&#x27;étaient pas valides" in response.content.decode()
    assert list(get_messages(response.wsgi_request)) == []  # said on this page, not kept for the next
    # The other filters still apply; the département stays the correspondent's own.
    assert listed(response) == {world.school_a.uai}
    assert world.school_b.name not in response.content.decode()
    choices = [value for value, _label in response.context["form"].fields["department"].choices if value]
    assert [int(str(value)) for value in choices] == [world.landes.pk]
    rows = csv_rows(export(client_for, "correspondant_40", "csv", department=world.pyrenees.pk))
    assert world.school_b.uai not in {row[1] for row in rows}


def test_the_year_chooses_among_years_with_designations(client_for, world, net):
    previous = f"{int(YEAR[:4]) - 1}-{int(YEAR[:4])}"
    chef_b = UserFactory(username="chef_b")  # the net's
    designate(world.school_b, UserFactory(username="ancien", first_name="Anne", last_name="Ancien"), chef_b, previous)
    response = page(client_for, "dane", year=previous)
    assert response.context["year"] == previous
    rows = {school.uai: referents for school, referents in response.context["rows"]}
    assert [r.name for r in rows[world.school_b.uai]] == ["Anne Ancien"]
    assert rows[world.school_a.uai] == []
    assert export(client_for, "dane", "csv", year=previous)["Content-Disposition"].endswith(
        f'filename="reseau-rupn-{previous}.csv"'
    )

    stale = page(client_for, "dane", year="1999-2000")
    assert stale.context["year"] == YEAR
    assert len(stale.context["notices"]) == 1 and list(get_messages(stale.wsgi_request)) == []
    # A year with designations only out of scope is not offered.
    assert previous not in [v for v, _label in page(client_for, "dane_rennes").context["form"].fields["year"].choices]


# --- Counts --------------------------------------------------------------------------------------


def test_counts_per_departement(client_for, world, net):
    response = page(client_for, "dane")
    counts = {c.code: c for c in response.context["counts"]}
    assert set(counts) == {"040", "064"}
    landes, pyrenees = counts["040"], counts["064"]
    assert (landes.schools, landes.with_rupn, landes.signed) == (4, 2, 1)
    assert (landes.rupn_percent, landes.signed_percent) == (50.0, 25.0)
    assert (pyrenees.schools, pyrenees.with_rupn, pyrenees.signed) == (1, 1, 0)
    total = response.context["total"]
    assert (total.schools, total.with_rupn, total.signed) == (5, 3, 1)
    content = response.content.decode()
    assert "50,0 %" in content and "25,0 %" in content
    # The state filter narrows the list, not the counts; the other filters narrow both.
    assert page(client_for, "dane", state="signed").context["counts"][0].schools == 4
    narrowed = page(client_for, "dane", department=world.landes.pk).context
    assert [c.code for c in narrowed["counts"]] == ["040"] and narrowed["total"] is None


# --- The IMP is never shown ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["correspondant_40", "dane", "admin"])
def test_the_imp_appears_nowhere(client_for, net, persona):
    assert Designation.objects.filter(imp_amount=IMP).count() == 6
    bodies = [
        page(client_for, persona).content.decode(),
        export(client_for, persona, "csv").content.decode("utf-8-sig"),
        export(client_for, persona, "vcf").content.decode(),
    ]
    for body in bodies:
        assert "IMP" not in body
        for spelling in IMP_SPELLINGS:
            assert spelling not in body


# --- Exports -------------------------------------------------------------------------------------


def test_csv_has_one_row_per_designation_and_one_per_school_without(client_for, world, net):
    response = export(client_for, "correspondant_40", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="reseau-rupn-{YEAR}.csv"'
    rows = csv_rows(response)
    assert rows[0] == [
        "Département",
        "UAI",
        "Établissement",
        "Commune",
        "Type",
        "Secteur",
        "RUPN",
        "Courriel du RUPN",
        "Période",
        "Lettre de mission",
    ]
    by_uai = {}
    for row in rows[1:]:
        by_uai.setdefault(row[1], []).append(row)
    assert len(rows) == 1 + 5
    (a,) = by_uai[world.school_a.uai]
    assert a[0] == "40 Landes"
    assert a[2:6] == [world.school_a.name, "Dax", "Collège", "Public"]
    assert a[6:8] == [str(world.rupn_a), world.rupn_a.email]
    assert a[8] == f"du {FIRST:%d/%m/%Y} au {LAST:%d/%m/%Y}"
    assert a[9] == "Signée"
    assert by_uai[net["empty"].uai][0][6:] == ["Aucun RUPN désigné", "", "", ""]
    assert [row[9] for row in by_uai[net["two"].uai]] == ["Brouillon", "Signée"]
    assert by_uai[net["ended"].uai][0][8].endswith("(terminée)")
    assert by_uai[net["ended"].uai][0][9] == "Aucune lettre"


def test_csv_neutralises_formulas(client_for, world, net):
    SchoolFactory(name='=HYPERLINK("http://example.org","x")', department=world.landes, commune="+33 Dax")
    rows = csv_rows(export(client_for, "correspondant_40", "csv"))
    row = next(row for row in rows if "HYPERLINK" in row[2])
    assert row[2] == '\'=HYPERLINK("http://example.org","x")'
    assert row[3] == "'+33 Dax"


def test_vcard_parses_back_with_the_rupn_in_force(client_for, world, net):
    response = export(client_for, "dane", "vcf")
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="reseau-rupn-{YEAR}.vcf"'
    assert b"\r\n" in response.content and b"\n" not in response.content.replace(b"\r\n", b"")
    cards = {card.email.value: card for card in vcards(response)}
    # Every RUPN in force of Bordeaux; not the one whose designation ended early, nor Rennes's.
    assert set(cards) == {world.rupn_a.email, world.rupn_b.email, "tango1@example.org", "tango2@example.org"}
    a = cards[world.rupn_a.email]
    assert a.fn.value == str(world.rupn_a)
    assert (a.n.value.family, a.n.value.given) == (world.rupn_a.last_name, world.rupn_a.first_name)
    assert a.org.value == [world.school_a.name]
    assert a.title.value == "RUPN"
    assert a.note.value == world.school_a.uai
    assert a.adr.value.city == "Dax"
    assert cards["tango1@example.org"].org.value == ["Collège Tango"]


def test_vcard_escapes_what_the_format_reserves(client_for, world, net):
    school = SchoolFactory(
        name="Collège Saint-Jean; annexe, site 2 " + "x" * 80, department=world.landes, commune="Saint-Paul-lès-Dax"
    )
    chef = MembershipFactory(user=UserFactory(username="chef_sj"), school=school, role=SchoolRole.CHEF).user
    designate(school, UserFactory(username="odd", first_name="Jean, dit", last_name="D'Artagnan; de Batz"), chef)
    response = export(client_for, "correspondant_40", "vcf", q="annexe")
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    (card,) = vcards(response)
    assert card.fn.value == "Jean, dit D'Artagnan; de Batz"
    assert (card.n.value.family, card.n.value.given) == ("D'Artagnan; de Batz", "Jean, dit")
    assert card.org.value == [school.name]
    assert card.adr.value.city == "Saint-Paul-lès-Dax"


def test_exports_keep_the_filters_and_refuse_other_formats(client_for, world, net):
    response = page(client_for, "correspondant_40", state="signed", q="alpha", page="1")
    content = response.content.decode()
    assert reverse("network:export", args=["csv"]) + "?state=signed&amp;q=alpha" in content
    assert reverse("network:export", args=["vcf"]) + "?state=signed&amp;q=alpha" in content
    rows = csv_rows(export(client_for, "correspondant_40", "csv", state="signed", q="alpha"))
    assert [row[1] for row in rows[1:]] == [world.school_a.uai]
    assert export(client_for, "dane", "xlsx").status_code == 404
    assert export(client_for, "dane", "ods").status_code == 404


def test_no_person_name_in_any_url(client_for, world, net):
    content = page(client_for, "dane").content.decode()
    hrefs = [part.split('"', 1)[0] for part in content.split('href="')[1:]]
    for href in hrefs:
        assert world.rupn_a.last_name not in href or href.startswith("mailto:")
        assert "rupn_a" not in href or href.startswith("mailto:")


# --- Cost ----------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", ["", "?state=unsigned", "?q=college&state=signed"])
def test_query_count_does_not_grow_with_the_number_of_schools(client_for, world, net, params):
    client = client_for("dane")
    url = reverse("network:list") + params
    client.get(url)  # warm the per-process caches (content types, sessions)
    before = _queries(client, url)
    for n in range(30):
        school = SchoolFactory(name=f"Collège supplémentaire {n}", department=world.gironde)
        user = UserFactory(username=f"rupn_extra{n}")
        designation = Designation.objects.create(
            school=school,
            user=user,
            user_label=str(user),
            school_year=YEAR,
            starts_on=FIRST,
            ends_on=LAST,
            imp_amount=IMP,
        )
        if n % 2:
            MissionLetter.objects.create(
                school=school,
                designation=designation,
                imp_amount=IMP,
                state=LetterState.SIGNED if n % 4 == 1 else LetterState.DRAFT,
                created_at=timezone.now() - datetime.timedelta(days=1),
            )
    assert _queries(client, url) == before


# --- In force on the year's day of reference ---------------------------------------------------------


def test_a_designation_whose_planned_end_has_passed_is_not_in_force(client_for, world, net):
    """A past year is read on its last day: a designation planned to end before it no longer counts,
    though it was never « ended early »."""
    previous = f"{int(YEAR[:4]) - 1}-{int(YEAR[:4])}"
    first, last = services.school_year_bounds(previous)
    chef_two = UserFactory(username="chef_two")  # the net's
    gone = services.designate(
        net["two"],
        user=UserFactory(username="parti_tot", first_name="Pia", last_name="Partie"),
        school_year=previous,
        starts_on=first,
        ends_on=last - datetime.timedelta(days=60),
        imp_amount=IMP,
        by=chef_two,
    )
    signed(gone, chef_two)
    stays = designate(
        world.school_a, UserFactory(username="resta", first_name="Rémi", last_name="Resté"), world.chef_a, previous
    )
    assert not Designation.objects.get(pk=gone.pk).ended_early

    def shown(**params):
        return listed(page(client_for, "correspondant_40", year=previous, **params))

    assert net["two"].uai in shown(state="no_rupn") and net["two"].uai not in shown(state="signed")
    assert world.school_a.uai in shown(state="unsigned")
    counts = {c.code: c for c in page(client_for, "correspondant_40", year=previous).context["counts"]}
    assert (counts["040"].with_rupn, counts["040"].signed) == (1, 0)
    rows = dict(page(client_for, "correspondant_40", year=previous).context["rows"])
    (referent,) = rows[net["two"]]
    assert not referent.in_force and referent.period.endswith("(terminée)")
    assert [r.in_force for r in rows[world.school_a]] == [True]
    cards = {card.email.value for card in vcards(export(client_for, "correspondant_40", "vcf", year=previous))}
    assert cards == {stays.user.email}
