"""Every board's export in every format, read back: the page's figures, the small-cell rule (an
empty cell, never a number, for a share or mean over fewer than 5 schools)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import odfdo
import pytest
from django.core import mail
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.referential.models import Indicator
from pilotis.steering import services as steering_services
from pilotis.steering.figures import Territory
from tests.factories import MembershipFactory, UserFactory
from tests.steering.conftest import answer_all, level_one_done

pytestmark = pytest.mark.django_db

BOARDS = ["progress", "maturity", "distribution", "indicators", "trends"]
FORMATS = ["csv", "ods"]


@pytest.fixture
def five_started(world, campaign, landes_schools):
    """Landes: school A validated (level 1 everywhere), four collèges filling in (PIL.1.01 « Non
    réalisé »), two not started, one of which was reminded. Pyrénées-Atlantiques: school B, filling."""
    answer_all(campaign, world.school_a, world.rupn_a, level_one_done, validate_by=world.chef_a)
    pil = Indicator.objects.get(version=campaign.referential, code="PIL.1.01")
    for school in landes_schools[:4]:
        services.save_answer(campaign, school, pil, status=AnswerStatus.NOT_DONE, comment="", by=world.chef_a)
    services.save_answer(campaign, world.school_b, pil, status=AnswerStatus.DONE, comment="", by=world.rupn_b)
    MembershipFactory(user=UserFactory(username="rupn_landes"), school=landes_schools[4], role="rupn")
    batch = steering_services.request_reminders(
        Territory.of(campaign, [world.landes]), target="not_started", department=world.landes, by=world.dane
    )
    steering_services.send_batch(batch.pk)
    assert len(mail.outbox) == 1
    return campaign


def _number(text: str) -> str:
    """`80,0` and `80` alike read `80`: ODS gives numbers back without their trailing zeros."""
    if not re.fullmatch(r"-?\d+(?:[.,]\d+)?", text):
        return text
    return f"{Decimal(text.replace(',', '.')).normalize():f}".replace(".", ",")


def _cell(value) -> str:
    """An ODS value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return str(value)


def read_back(response, fmt) -> list[list[str]]:
    """The file's rows as text, numbers written alike in both formats."""
    assert response.status_code == 200
    if fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    else:
        assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
        table = odfdo.Document(io.BytesIO(response.content)).body.get_table(0)
        values = table.get_values()
        width = len([v for v in values[0] if v is not None])
        rows = [[_cell(v) for v in row[:width]] for row in values]
    return [rows[0]] + [[_number(cell) for cell in row] for row in rows[1:]]


def export(client_for, persona, campaign, board, fmt, **params):
    response = client_for(persona).get(reverse("steering:export", args=[campaign.pk, board, fmt]), params)
    rows = read_back(response, fmt)
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def check_progress(world, header, rows, *, rule):
    assert header == [
        "UAI",
        "Établissement",
        "Département",
        "État",
        "Indicateurs renseignés",
        "RUPN",
        "Dernière activité",
        "Dernière relance",
    ]
    if rule:
        assert [(r["UAI"], r["État"]) for r in rows] == [(world.school_b.uai, "En cours de saisie")]
        return
    assert len(rows) == 7
    by_uai = {r["UAI"]: r for r in rows}
    a = by_uai[world.school_a.uai]
    assert (a["État"], a["Indicateurs renseignés"], a["RUPN"]) == ("Validé", "81", world.rupn_a.get_full_name())
    assert a["Dernière activité"] and not a["Dernière relance"]
    reminded = [r for r in rows if r["Dernière relance"]]
    assert [(r["État"], r["Indicateurs renseignés"]) for r in reminded] == [("Non commencé", "0")]
    assert sorted(r["État"] for r in rows).count("Non commencé") == 2


def check_maturity(world, header, rows, *, rule):
    assert header[:6] == ["UAI", "Établissement", "Département", "Type", "Secteur", "État"]
    assert len(header) == 6 + 5
    if rule:
        assert [r["UAI"] for r in rows] == [world.school_b.uai]
        assert list(rows[0].values())[-5:] == ["0"] * 5
        return
    assert len(rows) == 7
    by_uai = {r["UAI"]: list(r.values()) for r in rows}
    assert by_uai[world.school_a.uai][-5:] == ["1"] * 5
    assert sum(1 for levels in by_uai.values() if levels[-5:] == [""] * 5) == 2  # not started: no level


def check_distribution(world, header, rows, *, rule, over="validated"):
    assert header == [
        "Code",
        "Domaine",
        "Établissements ayant validé" if over == "validated" else "Établissements en cours de saisie",
        "Niveau 0",
        "Niveau 0 (%)",
        "Niveau 1",
        "Niveau 1 (%)",
        "Niveau 2",
        "Niveau 2 (%)",
        "Niveau 3",
        "Niveau 3 (%)",
        "Niveau moyen",
    ]
    assert [r["Code"] for r in rows] == ["PIL", "PED", "FOR", "RES", "INF"]
    pil = rows[0]
    # Under five schools counted, whatever the territory: counts, no share, no mean.
    assert all(r[f"Niveau {n} (%)"] == "" for r in rows for n in range(4))
    assert all(r["Niveau moyen"] == "" for r in rows)
    counted = pil[header[2]]
    levels = [pil[f"Niveau {n}"] for n in range(4)]
    if rule:  # Pyrénées-Atlantiques: school B filling in, at level 0 so far
        assert (counted, levels) == (("0", ["0"] * 4) if over == "validated" else ("1", ["1", "0", "0", "0"]))
    elif over == "validated":  # Landes: school A, validated at level 1; the four filling in apart
        assert (counted, levels) == ("1", ["0", "1", "0", "0"])
    else:
        assert (counted, levels) == ("4", ["4", "0", "0", "0"])


def check_indicators(world, header, rows, *, rule):
    assert header[:4] == ["Code", "Domaine", "Niveau", "Indicateur"]
    assert len(rows) == 81
    pil = next(r for r in rows if r["Code"] == "PIL.1.01")
    shares = ["Réalisé (%)", "En cours (%)", "Non réalisé (%)", "Sans réponse (%)"]
    counts = [pil[k] for k in ("Réalisé", "En cours", "Non réalisé", "Sans réponse")]
    if rule:
        assert counts == ["1", "0", "0", "0"]  # the counts stay
        assert all(r[k] == "" for r in rows for k in shares)
        return
    assert counts == ["1", "0", "4", "2"]
    assert [pil[k] for k in shares] == ["14,3", "0", "57,1", "28,6"]


def check_trends(world, header, rows, *, rule):
    assert header == ["Chiffre", "Intitulé", "2026-2027"]
    by_label = {r["Chiffre"]: r["2026-2027"] for r in rows}
    assert {"PIL.1.01 — part « Réalisé »", "PIL.1.01 — part sans réponse"} <= set(by_label)
    parts = [label for label in by_label if "part" in label or label.startswith("Niveau moyen")]
    if rule:
        assert by_label["Établissements ayant commencé"] == "1"
        assert all(by_label[label] == "" for label in parts)
        return
    assert by_label["Établissements ayant commencé"] == "5"
    assert by_label["Établissements ayant commencé — part (%)"] == "71,4"
    assert by_label["PIL.1.01 — part « Non réalisé »"] == "57,1"
    # Levels over the validated self-assessments only: school A alone, under the rule.
    assert by_label["Pilotage, impulsion et organisation — niveau 1"] == "1"
    assert by_label["Niveau moyen — Pilotage, impulsion et organisation"] == ""
    assert by_label["Pilotage, impulsion et organisation — niveau 0 — part (%)"] == ""


CHECKS = {
    "progress": check_progress,
    "maturity": check_maturity,
    "distribution": check_distribution,
    "indicators": check_indicators,
    "trends": check_trends,
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("board", BOARDS)
def test_every_export_holds_the_figures_under_the_rule(client_for, world, five_started, board, fmt):
    header, rows = export(client_for, "correspondant_40", five_started, board, fmt)
    CHECKS[board](world, header, rows, rule=False)
    header, rows = export(client_for, "correspondant_64", five_started, board, fmt)
    CHECKS[board](world, header, rows, rule=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_distribution_export_follows_the_pages_choice_of_schools(client_for, world, five_started, fmt):
    header, rows = export(client_for, "correspondant_40", five_started, "distribution", fmt, over="filling")
    check_distribution(world, header, rows, rule=False, over="filling")
    header, rows = export(client_for, "correspondant_64", five_started, "distribution", fmt, over="filling")
    check_distribution(world, header, rows, rule=True, over="filling")


def test_the_distribution_export_is_the_page_table(client_for, world, five_started):
    response = client_for("correspondant_40").get(reverse("steering:maturity", args=[five_started.pk]))
    html = response.content.decode()
    for fmt in FORMATS:
        assert reverse("steering:export", args=[five_started.pk, "distribution", fmt]) in html
    _header, rows = export(client_for, "correspondant_40", five_started, "distribution", "csv")
    for d, row in zip(response.context["distribution"], rows, strict=True):
        assert row["Code"] == d.domain.code
        assert [row[f"Niveau {n}"] for n in range(4)] == [str(n) for n in d.counts]


def test_the_progress_page_says_what_its_export_holds(client_for, five_started):
    html = client_for("correspondant_40").get(reverse("steering:progress", args=[five_started.pk])).content.decode()
    assert "dernière activité et dernière relance" in html
