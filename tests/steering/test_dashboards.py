"""The territory's dashboards: figures, lists, filters, small-cell rule, scope and exports."""

import csv
import io

import odfdo
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.referential.models import Indicator
from tests.factories import SchoolFactory
from tests.steering.conftest import answer_all, level_one_done, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(world, campaign, landes_schools):
    """School A validated (level 1 everywhere); two Landes collèges filling in; the rest not started."""
    answer_all(campaign, world.school_a, world.rupn_a, level_one_done, validate_by=world.chef_a)
    pil = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    for school in landes_schools[:2]:
        services.save_answer(campaign, school, pil, status=AnswerStatus.NOT_DONE, comment="", by=world.chef_a)
    return campaign


def get(client_for, persona, name, campaign, **params):
    return client_for(persona).get(reverse(f"steering:{name}", args=[campaign.pk]), params)


def test_index_opens_the_latest_campaign(client_for, world, campaign):
    response = client_for("dane").get(reverse("steering:index"))
    assert response.status_code == 302
    assert response.url == reverse("steering:progress", args=[campaign.pk])


def test_progress_counts_and_lists_for_the_dane(client_for, world, filled, landes_schools):
    response = get(client_for, "dane", "progress", filled)
    progress = response.context["progress"]
    # Bordeaux: school A, school B and six Landes collèges.
    assert (progress.schools, progress.not_started, progress.filling, progress.validated) == (8, 5, 2, 1)
    names = [school.name for school, _referents, _reminded in response.context["rows"]]
    assert world.school_b.name in names and world.school_a.name not in names

    validated = get(client_for, "dane", "progress", filled, state="validated")
    rows = validated.context["rows"]
    assert [(school.name, referents) for school, referents, _reminded in rows] == [
        (world.school_a.name, [world.rupn_a.get_full_name()])
    ]
    assert "81" in validated.content.decode()  # indicators answered

    filling = get(client_for, "dane", "progress", filled, state="filling")
    assert sorted(s.name for s, _r, _d in filling.context["rows"]) == sorted(s.name for s in landes_schools[:2])


def test_a_correspondent_sees_only_their_departement(client_for, world, filled):
    response = get(client_for, "correspondant_40", "progress", filled)
    assert response.context["progress"].schools == 7
    assert world.school_b.name not in response.content.decode()
    # Asking for another département by hand is ignored, and said so; the figures stay the Landes'.
    forced = get(client_for, "correspondant_40", "progress", filled, department=world.pyrenees.pk)
    assert forced.context["progress"].schools == 7
    assert "ignorés" in forced.content.decode()
    assert world.school_b.name not in forced.content.decode()


def test_small_cell_rule_hides_shares_under_five_schools(client_for, world, filled):
    # The Pyrénées-Atlantiques hold one school of the world: counts, but no share.
    response = get(client_for, "correspondant_64", "indicators", filled)
    assert response.context["territory"].school_count == 1
    assert all(value is None for f in response.context["rows"] for value in f.shares.values())
    assert "%" not in response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    # The Landes hold seven: shares are given.
    landes = get(client_for, "correspondant_40", "indicators", filled)
    first = next(f for f in landes.context["rows"] if f.indicator.code == "PIL.1.01")
    assert (first.done, first.in_progress, first.not_done, first.unanswered) == (1, 0, 2, 4)
    assert first.shares["realise"] == pytest.approx(1 / 7)
    assert "14,3 %" in landes.content.decode()


def test_indicators_sort(client_for, filled):
    rows = get(client_for, "dane", "indicators", filled, sort="-not_done").context["rows"]
    assert rows[0].indicator.code == "PIL.1.01"  # the only indicator answered « Non réalisé »
    by_code = get(client_for, "dane", "indicators", filled).context["rows"]
    assert [f.indicator.code for f in by_code][:2] == ["PIL.1.01", "PIL.1.02"]


def test_maturity_heat_map_distribution_filters_and_sort(client_for, world, filled, landes_schools):
    response = get(client_for, "dane", "maturity", filled)
    distribution = {d.domain.code: d.counts for d in response.context["distribution"]}
    # Over the validated self-assessments by default: school A, at level 1 everywhere. The two
    # still filling in (level 0 so far) are shown apart, never mixed in.
    assert distribution["PIL"] == [0, 1, 0, 0]
    filling = get(client_for, "dane", "maturity", filled, over="filling").context["distribution"]
    assert {d.domain.code: d.counts for d in filling}["PIL"] == [2, 0, 0, 0]
    assert response.context["page_obj"].paginator.count == 8
    by_level = get(client_for, "dane", "maturity", filled, sort="-PIL").context["rows"]
    assert by_level[0][0].pk == world.school_a.pk and by_level[0][1] == [1, 1, 1, 1, 1]
    # Not started schools come last in both directions, shown as « — ».
    assert by_level[-1][1] == [None] * 5
    ascending = get(client_for, "dane", "maturity", filled, sort="PIL").context["rows"]
    assert ascending[0][1][0] == 0 and ascending[-1][1] == [None] * 5
    lycees = get(client_for, "dane", "maturity", filled, kind="lycee_gt")
    assert [school.pk for school, _ in lycees.context["rows"]] == [world.school_b.pk]
    assert lycees.context["page_obj"].paginator.count == 1  # a filter counts what it keeps
    SchoolFactory(name="Collège Montesquieu", department=world.landes)
    searched = get(client_for, "dane", "maturity", filled, q="montésquieu").context["rows"]
    assert [school.name for school, _ in searched] == ["Collège Montesquieu"]
    # The drill-down: a started school links to its synthesis, read-only for the DANE.
    synthesis = reverse("assessments:synthesis", args=[world.school_a.uai, filled.school_year])
    assert synthesis in response.content.decode()
    assert client_for("dane").get(synthesis).status_code == 200


def test_the_heat_map_sorted_by_a_level_pages_through_the_territory_in_order(
    client_for, world, filled, landes_schools, monkeypatch
):
    """Sorted by a level, the page's ids are sorted first and its rows read after
    (`SortedIdsFirst`): every page holds the right schools, in order, with their levels."""
    monkeypatch.setattr("pilotis.steering.views.PAGE_SIZE", 3)
    pages = [get(client_for, "dane", "maturity", filled, sort="-PIL", page=n).context["rows"] for n in (1, 2, 3)]
    rows = [row for page in pages for row in page]
    not_started = sorted([*landes_schools[2:], world.school_b], key=lambda s: s.name)
    assert [school.pk for school, _ in rows] == [
        world.school_a.pk,
        landes_schools[0].pk,
        landes_schools[1].pk,
        *[school.pk for school in not_started],
    ]
    assert [levels[0] for _, levels in rows] == [1, 0, 0] + [None] * 5
    assert [len(page) for page in pages] == [3, 3, 2]


def test_an_invalid_filter_is_said_on_its_page_only(client_for, world, filled):
    client = client_for("correspondant_40")
    warning = "Certains filtres n&#x27;étaient pas valides : ils ont été ignorés."
    page = client.get(reverse("steering:maturity", args=[filled.pk]), {"department": world.pyrenees.pk})
    assert page.status_code == 200 and warning in page.content.decode()
    export = client.get(
        reverse("steering:export", args=[filled.pk, "maturity", "csv"]), {"department": world.pyrenees.pk}
    )
    assert export.status_code == 200
    assert len(_csv_rows(export)) == 1 + 7  # the Landes' seven schools, as on the page
    # Neither the page nor the export leaves the warning behind for the next page.
    assert warning not in client.get(reverse("steering:maturity", args=[filled.pk])).content.decode()


@pytest.mark.parametrize("invalid", ["department", "sort"])
def test_an_invalid_filter_is_ignored_by_the_export_as_by_the_page(client_for, world, filled, invalid):
    """The export lists what the page lists: the whole territory, not nothing."""
    client = client_for("correspondant_40")
    params = {"department": world.pyrenees.pk} if invalid == "department" else {"sort": "bogus", "kind": "lycee_gt"}
    page = client.get(reverse("steering:maturity", args=[filled.pk]), params)
    assert page.context["notices"] and page.context["page_obj"].paginator.count == 7
    rows = _csv_rows(client.get(reverse("steering:export", args=[filled.pk, "maturity", "csv"]), params))
    assert len(rows) == 1 + 7
    assert [row[0] for row in rows[1:]] == [school.uai for school, _levels in page.context["rows"]]


def test_a_valid_filter_narrows_the_export_as_the_page(client_for, world, filled):
    client = client_for("dane")
    params = {"kind": "lycee_gt", "sort": "-PIL"}
    page = client.get(reverse("steering:maturity", args=[filled.pk]), params)
    rows = _csv_rows(client.get(reverse("steering:export", args=[filled.pk, "maturity", "csv"]), params))
    assert [row[0] for row in rows[1:]] == [school.uai for school, _levels in page.context["rows"]]
    assert [row[0] for row in rows[1:]] == [world.school_b.uai]


def test_sector_filter(client_for, world, filled):
    private = SchoolFactory(name="Collège Saint-Joseph", department=world.landes, sector="prive")
    response = get(client_for, "dane", "maturity", filled, sector="prive")
    assert [school.pk for school, _ in response.context["rows"]] == [private.pk]
    assert response.context["page_obj"].paginator.count == 1
    public = get(client_for, "dane", "maturity", filled, sector="public")
    assert private.pk not in {school.pk for school, _ in public.context["rows"]}
    assert public.context["page_obj"].paginator.count == 8
    export = _csv_rows(
        client_for("dane").get(reverse("steering:export", args=[filled.pk, "maturity", "csv"]), {"sector": "prive"})
    )
    assert [(row[0], row[4]) for row in export[1:]] == [(private.uai, "Privé sous contrat")]


def test_small_cell_rule_on_the_progress_tiles(client_for, world, filled):
    # One school in the Pyrénées-Atlantiques: its count, no share.
    response = get(client_for, "correspondant_64", "progress", filled)
    assert response.context["progress"].schools == 1
    assert set(response.context["progress"].shares.values()) == {None}
    tiles = response.content.decode().split("fr-grid-row--gutters fr-mb-3w")[1].split("<table")[0]
    assert "%" not in tiles and tiles.count("(—)") == 3
    # Seven in the Landes: shares.
    landes = get(client_for, "correspondant_40", "progress", filled)
    assert landes.context["progress"].shares["validated"] == pytest.approx(1 / 7)
    assert "14,3 %" in landes.content.decode()


def test_small_cell_rule_on_the_level_distribution(client_for, world, filled, landes_schools):
    answer_all(filled, world.school_b, world.rupn_b, level_one_done, validate_by=world.rupn_b)
    response = get(client_for, "correspondant_64", "maturity", filled)
    pil = next(d for d in response.context["distribution"] if d.domain.code == "PIL")
    assert (pil.schools, pil.counts) == (1, [0, 1, 0, 0])  # counts stay
    assert pil.mean is None and set(pil.shares) == {None}
    table = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "%" not in table and "—" in table
    # The rule counts the schools counted (the shares' denominator), not the territory's: one
    # validated of the seven Landes schools, no share; five, shares and means.
    landes = get(client_for, "correspondant_40", "maturity", filled).context["distribution"]
    assert all(d.schools == 1 and d.mean is None and set(d.shares) == {None} for d in landes)
    for school in landes_schools[2:6]:
        answer_all(filled, school, world.chef_a, lambda i: AnswerStatus.NOT_DONE, validate_by=world.chef_a)
    landes = get(client_for, "correspondant_40", "maturity", filled)
    pil = next(d for d in landes.context["distribution"] if d.domain.code == "PIL")
    assert (pil.schools, pil.counts) == (5, [4, 1, 0, 0])
    assert pil.mean == pytest.approx(0.2) and pil.shares[0] == pytest.approx(0.8)
    assert "80,0 %" in landes.content.decode()
    assert "sur 5 établissements ayant validé" in landes.content.decode()


NO_PRIORITY_DATA = "Pas de filtre « Éducation prioritaire »"


def test_priority_education_filter(client_for, world, filled):
    SchoolFactory(name="Collège REP des Landes", department=world.landes, priority_education="rep")
    response = get(client_for, "dane", "maturity", filled, priority="rep")
    assert [school.name for school, _ in response.context["rows"]] == ["Collège REP des Landes"]
    assert 'name="priority"' in response.content.decode()
    assert NO_PRIORITY_DATA not in response.content.decode()


def test_no_priority_education_filter_where_the_directory_says_nothing_of_it(client_for, world, filled):
    """No school of the territory has a value (the directory left the column empty): the filter
    would find nothing, so it is not offered, and one line says why; a stale URL's value is ignored."""
    SchoolFactory(name="Collège REP de Rennes", department=world.ille, priority_education="rep")  # not followed
    response = get(client_for, "dane", "maturity", filled, priority="rep")
    html = response.content.decode()
    assert 'name="priority"' not in html
    assert NO_PRIORITY_DATA in html
    assert response.context["page_obj"].paginator.count == 8  # every school, none filtered out


def test_trends_put_campaigns_side_by_side(client_for, world, referential, landes_schools):
    past = open_campaign(world, referential, "2025-2026")
    for school in [world.school_a, *landes_schools[:4]]:
        answer_all(
            past,
            school,
            world.chef_a,
            lambda i: AnswerStatus.DONE if i.level == 1 else AnswerStatus.NOT_DONE,
            validate_by=world.chef_a,
        )
    services.close_campaign(past, by=world.dane)
    current = open_campaign(world, referential, "2026-2027")
    answer_all(current, world.school_a, world.chef_a, lambda i: AnswerStatus.DONE)
    response = get(client_for, "correspondant_40", "trends", current)
    assert 'name="state"' not in response.content.decode()  # the trends take no progress state
    lines = {line.label: line.values for line in response.context["lines"]}
    assert lines["Établissements ayant commencé"] == [5, 1]
    # 5 of 7 Landes schools done PIL.1.01 last year; this year 1 of 7 (the rule needs 5 schools, not 5 answers).
    assert lines["PIL.1.01 — part « Réalisé »"] == [pytest.approx(71.4), pytest.approx(14.3)]
    assert lines["Niveau moyen — Pilotage, impulsion et organisation"] == [pytest.approx(1.0), None]


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_exports_hold_the_page_figures_and_nothing_out_of_scope(client_for, world, filled):
    client = client_for("correspondant_40")
    url = reverse("steering:export", args=[filled.pk, "maturity", "csv"])
    rows = _csv_rows(client.get(url, {"sort": "-PIL"}))
    assert rows[0][:2] == ["UAI", "Établissement"]
    assert rows[1][:2] == [world.school_a.uai, world.school_a.name]
    assert rows[1][-5:] == ["1"] * 5
    assert world.school_b.uai not in {row[0] for row in rows}
    assert len(rows) == 1 + 7

    progress = _csv_rows(client.get(reverse("steering:export", args=[filled.pk, "progress", "csv"])))
    states = {row[0]: row[3] for row in progress[1:]}
    assert states[world.school_a.uai] == "Validé"

    ods = client.get(reverse("steering:export", args=[filled.pk, "indicators", "ods"]))
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    table = odfdo.Document(io.BytesIO(ods.content)).body.get_table(0)
    values = table.get_values()
    pil = next(row for row in values if row[0] == "PIL.1.01")
    assert pil[4:8] == [1, 0, 2, 4]
    assert float(pil[8]) == pytest.approx(14.3)

    under_rule = _csv_rows(
        client_for("correspondant_64").get(reverse("steering:export", args=[filled.pk, "indicators", "csv"]))
    )
    assert all(row[8:] == ["", "", "", ""] for row in under_rule[1:])

    trends = client.get(reverse("steering:export", args=[filled.pk, "trends", "ods"]))
    assert trends.status_code == 200
    assert client.get(reverse("steering:export", args=[filled.pk, "nothing", "csv"])).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "board, query",
    [
        ("progress", ""),
        ("progress", "?state=filling"),
        ("maturity", ""),
        ("maturity", "?sort=-PIL"),
        ("maturity", "?kind=college&sector=public&q=coll"),
        ("indicators", ""),
        ("trends", ""),
        ("trends", "?share=not_done"),
        ("reminders", ""),
    ],
)
def test_query_count_does_not_grow_with_the_number_of_schools(client_for, world, filled, board, query):
    client = client_for("dane")
    url = reverse(f"steering:{board}", args=[filled.pk]) + query
    client.get(url)  # warm the per-process caches (content types, sessions)
    before = _queries(client, url)
    for n in range(30):
        school = SchoolFactory(name=f"Lycée supplémentaire {n}", department=world.gironde)
        if n % 3 == 0:
            pil = Indicator.objects.get(version=filled.referential, code="PIL.1.01")
            services.save_answer(filled, school, pil, status=AnswerStatus.DONE, comment="", by=world.dane)
    assert _queries(client, url) == before


def test_the_heading_names_the_territory_followed(client_for, world, filled):
    """The DANE follows the académie, named as such; a correspondent their départements; a
    filter its one département, written as the filter writes it (40, not 040)."""
    lead = "fr-text--lead"

    def heading(response):
        html = response.content.decode()
        start = html.index(lead)
        return " ".join(html[start : html.index("</p>", start)].split())

    assert "Académie de Bordeaux — 8 établissements" in heading(get(client_for, "dane", "progress", filled))
    assert "Landes (40) —" in heading(get(client_for, "dane", "progress", filled, department=world.landes.pk))
    correspondent = heading(get(client_for, "correspondant_40", "progress", filled))
    assert "Landes —" in correspondent and "Académie" not in correspondent


def test_the_heat_map_names_its_domains_by_code_on_a_phone(client_for, filled):
    """At 375 px five domain titles do not fit: the headers carry the codes too (shown on narrow
    screens by the stylesheet), each an abbr with its title, and a legend says them all."""
    html = get(client_for, "dane", "maturity", filled).content.decode()
    heat_map = html.split("pilotis-heatmap-legend")[1]
    for code, title in [("PIL", "Pilotage, impulsion et organisation"), ("INF", "Infrastructure réseau – équipement")]:
        assert f'<abbr class="pilotis-domain-code" title="{title}">{code}</abbr>' in heat_map
        assert f'<li><abbr title="{title}">{code}</abbr> : {title}</li>' in heat_map
