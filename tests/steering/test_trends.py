"""Évolution: the same figures for each campaign of the territory, side by side — progress with
shares, levels per domain (mean and distribution), the four shares of every indicator — lined up
by code across referential versions, under the small-cell rule on the page and in the export."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.referential.loader import load_referential
from pilotis.referential.models import ReferentialVersion
from tests.steering.conftest import answer_all, open_campaign

pytestmark = pytest.mark.django_db

MINI = Path(__file__).parents[1] / "referential" / "data" / "mini.yaml"
PIL = "Pilotage, impulsion et organisation"
INF = "Infrastructure réseau – équipement"


def level_one(indicator):
    return AnswerStatus.DONE if indicator.level == 1 else AnswerStatus.NOT_DONE


@pytest.fixture
def two_years(world, referential, landes_schools):
    """2025-2026 (closed): school A and four Landes collèges validated at level 1 everywhere.
    2026-2027: school A has answered « Réalisé » everywhere, not validated yet."""
    past = open_campaign(world, referential, "2025-2026")
    for school in [world.school_a, *landes_schools[:4]]:
        answer_all(past, school, world.chef_a, level_one, validate_by=world.chef_a)
    services.close_campaign(past, by=world.dane)
    current = open_campaign(world, referential, "2026-2027")
    answer_all(current, world.school_a, world.chef_a, lambda i: AnswerStatus.DONE)
    return past, current


def page(client_for, persona, campaign, **params):
    return client_for(persona).get(reverse("steering:trends", args=[campaign.pk]), params)


def export_rows(client_for, persona, campaign, **params):
    response = client_for(persona).get(reverse("steering:export", args=[campaign.pk, "trends", "csv"]), params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[0], {row[0]: row[2:] for row in rows[1:]}


def test_progress_side_by_side_with_shares(client_for, two_years):
    _past, current = two_years
    lines = {line.label: line for line in page(client_for, "correspondant_40", current).context["lines"]}
    expected = {
        "Établissements non commencés": ([2, 6], [28.6, 85.7]),
        "Établissements en cours de saisie": ([0, 1], [0.0, 14.3]),
        "Établissements ayant validé": ([5, 0], [71.4, 0.0]),
        "Établissements ayant commencé": ([5, 1], [71.4, 14.3]),
    }
    for label, (counts, shares) in expected.items():
        assert lines[label].values == counts, label
        assert lines[label].shares == [pytest.approx(s) for s in shares], label

    header, rows = export_rows(client_for, "correspondant_40", current)
    assert header == ["Chiffre", "Intitulé", "2025-2026", "2026-2027"]
    assert rows["Établissements non commencés"] == ["2", "6"]
    assert rows["Établissements non commencés — part (%)"] == ["28,6", "85,7"]
    assert rows["Établissements ayant validé — part (%)"] == ["71,4", "0,0"]


def test_levels_per_domain_mean_and_distribution(client_for, two_years):
    _past, current = two_years
    response = page(client_for, "correspondant_40", current)
    lines = {line.label: line for line in response.context["lines"]}
    # Validated beside validated: last year five schools at level 1; this year school A, at
    # level 3 but still filling in, is not counted (a half-filled one would read as level 0).
    assert lines[f"Niveau moyen — {PIL}"].values == [pytest.approx(1.0), None]
    assert lines[f"{PIL} — niveau 1"].values == [5, 0]
    assert lines[f"{PIL} — niveau 1"].shares == [pytest.approx(100.0), None]
    assert lines[f"{PIL} — niveau 3"].values == [0, 0]
    assert lines[f"{PIL} — niveau 3"].shares == [pytest.approx(0.0), None]
    html = response.content.decode()
    assert "100,0 %" in html and "Niveau moyen" in html
    assert "Niveaux sur les établissements ayant validé leur autodiagnostic" in html

    _header, rows = export_rows(client_for, "correspondant_40", current)
    assert rows[f"Niveau moyen — {PIL}"] == ["1,0", ""]
    assert rows[f"{PIL} — niveau 1"] == ["5", "0"]
    assert rows[f"{PIL} — niveau 1 — part (%)"] == ["100,0", ""]


def test_every_share_of_every_indicator(client_for, two_years):
    _past, current = two_years
    _header, rows = export_rows(client_for, "correspondant_40", current)
    # Five of the seven Landes schools « Réalisé » last year, one this year.
    assert rows["PIL.1.01 — part « Réalisé »"] == ["71,4", "14,3"]
    assert rows["PIL.1.01 — part « En cours »"] == ["0,0", "0,0"]
    assert rows["PIL.1.01 — part « Non réalisé »"] == ["0,0", "0,0"]
    assert rows["PIL.1.01 — part sans réponse"] == ["28,6", "85,7"]
    assert rows["PIL.2.01 — part « Non réalisé »"] == ["71,4", "0,0"]
    indicator_rows = [label for label in rows if label.startswith("PIL.1.01 —")]
    assert len(indicator_rows) == 4


def test_the_page_shows_the_share_chosen_realise_by_default(client_for, two_years):
    """One share per indicator on the page, chosen with a GET form (no JavaScript needed)."""
    _past, current = two_years
    default = page(client_for, "correspondant_40", current)
    html = default.content.decode()
    assert 'name="share"' in html and 'method="get"' in html
    shown = [line for line in default.context["lines"] if line.share]
    assert shown and {line.share for line in shown} == {"done"}
    assert "part « Réalisé »" in html

    not_done = page(client_for, "correspondant_40", current, share="not_done")
    shown = {line.short: line.values for line in not_done.context["lines"] if line.share}
    assert {line.share for line in not_done.context["lines"] if line.share} == {"not_done"}
    assert shown["PIL.2.01"] == [pytest.approx(71.4), pytest.approx(0.0)]
    assert "part « Non réalisé »" in not_done.content.decode()

    # A share that does not exist is ignored, and said so.
    bogus = page(client_for, "correspondant_40", current, share="nope")
    assert bogus.context["notices"] and bogus.context["share"] == "done"


def test_small_cell_rule_on_every_cell(client_for, world, two_years):
    """One school in the Pyrénées-Atlantiques: counts, never a share or a mean."""
    _past, current = two_years
    answer_all(current, world.school_b, world.rupn_b, level_one)
    response = page(client_for, "correspondant_64", current)
    for line in response.context["lines"]:
        if line.unit in ("percent", "level"):
            assert set(line.values) == {None}, line.label
        if line.shares is not None:
            assert set(line.shares) == {None}, line.label
    assert response.context["lines"][0].values == [1, 0]  # not started: counts stay
    body = response.content.decode().split("<tbody>", 1)[1].split("</table>")[0]
    assert "%" not in body and "—" in body

    _header, rows = export_rows(client_for, "correspondant_64", current)
    for label, values in rows.items():
        if "part" in label or label.startswith("Niveau moyen"):
            assert values == ["", ""], label
    assert rows["Établissements en cours de saisie"] == ["0", "1"]


def _second_version(tmp_path):
    """test-2 supersedes test-1: the domains swap places and PIL.1.02 becomes PIL.1.05."""
    text = MINI.read_text(encoding="utf-8").replace('version: "test-1"', 'version: "test-2"')
    text = text.replace("PIL.1.02", "PIL.1.05").replace("supersedes: null", 'supersedes: "test-1"')
    text = text.replace("code_map: {}", "code_map:\n  PIL.1.02: PIL.1.05")
    text = text.replace(f'position: 1\n    title: "{PIL}"', f'position: 2\n    title: "{PIL}"', 1)
    text = text.replace(f'position: 2\n    title: "{INF}"', f'position: 1\n    title: "{INF}"', 1)
    path = tmp_path / "test-2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_domains_and_indicators_line_up_by_code_across_versions(client_for, world, landes_schools, tmp_path):
    load_referential(MINI)
    load_referential(_second_version(tmp_path))
    first, second = (ReferentialVersion.objects.get(version=v) for v in ("test-1", "test-2"))
    assert [d.code for d in second.domains.order_by("position")] == ["INF", "PIL"]
    schools = [world.school_a, *landes_schools[:4]]
    past = open_campaign(world, first, "2025-2026")
    for school in schools:  # Pilotage at level 1, infrastructure at 0
        answer_all(
            past,
            school,
            world.chef_a,
            lambda i: AnswerStatus.DONE if i.domain.code == "PIL" else "non_realise",
            validate_by=world.chef_a,
        )
    services.close_campaign(past, by=world.dane)
    current = open_campaign(world, second, "2026-2027")
    for school in schools:  # the other way round
        answer_all(
            current,
            school,
            world.chef_a,
            lambda i: AnswerStatus.DONE if i.domain.code == "INF" else "en_cours",
            validate_by=world.chef_a,
        )

    lines = {line.label: line.values for line in page(client_for, "correspondant_40", current).context["lines"]}
    assert lines[f"Niveau moyen — {PIL}"] == [pytest.approx(2.0), pytest.approx(0.0)]
    assert lines[f"Niveau moyen — {INF}"] == [pytest.approx(0.0), pytest.approx(1.0)]
    _header, rows = export_rows(client_for, "correspondant_40", current)
    # The renamed indicator carries its past figures; its old code has no line of its own.
    assert rows["PIL.1.05 — part « Réalisé »"] == ["71,4", "0,0"]
    assert rows["PIL.1.05 — part « En cours »"] == ["0,0", "71,4"]
    assert not any(label.startswith("PIL.1.02") for label in rows)
    assert rows["INF.1.01 — part « Réalisé »"] == ["0,0", "71,4"]
