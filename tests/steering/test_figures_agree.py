"""A figure reads the same everywhere: the page, its CSV and ODS exports and the school's PDF
report, all rounded by the one rule (`core.rounding`: half up, one decimal)."""

import csv
import io
import re

import odfdo
import pytest
from django.urls import reverse
from pypdf import PdfReader

from pilotis.assessments.enums import AnswerStatus
from tests.factories import SchoolFactory
from tests.steering.conftest import answer_all, level_one_done

pytestmark = pytest.mark.django_db

PIL = "Pilotage, impulsion et organisation"


@pytest.fixture
def eight_validated(world, campaign, landes_schools):
    """Landes: 16 open schools, 8 validated — 3 at level 1 in every domain, 5 at level 0 — so
    every domain's mean is 3/8 = 0.375, and PIL.1.01 is « Non réalisé » in 5 of 16 = 31.25 %."""
    landes = [world.school_a, *landes_schools, SchoolFactory(name="Collège Landais 6", department=world.landes)]
    for school in landes[:3]:
        answer_all(campaign, school, world.chef_a, level_one_done, validate_by=world.chef_a)
    for school in landes[3:]:
        answer_all(campaign, school, world.chef_a, lambda i: AnswerStatus.NOT_DONE, validate_by=world.chef_a)
    for n in range(8):
        SchoolFactory(name=f"Collège Landais non commencé {n}", department=world.landes)
    return campaign


def exported(client, campaign, board, fmt, column, key, value):
    """The cell `column` of the row whose `key` is `value`, written as the CSV writes numbers."""
    response = client.get(reverse("steering:export", args=[campaign.pk, board, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        return next(row[column] for row in rows if row[key] == value)
    values = odfdo.Document(io.BytesIO(response.content)).body.get_table(0).get_values()
    header = values[0]
    row = next(r for r in values[1:] if r[header.index(key)] == value)
    return str(row[header.index(column)]).replace(".", ",")


def test_a_mean_and_a_share_read_the_same_on_the_page_in_the_exports_and_in_the_pdf(client_for, world, eight_validated):
    client = client_for("correspondant_40")
    page = client.get(reverse("steering:maturity", args=[eight_validated.pk]))
    pil = next(d for d in page.context["distribution"] if d.domain.code == "PIL")
    assert (pil.schools, pil.mean) == (8, pytest.approx(0.375))
    row = re.search(rf"<th scope=\"row\">{PIL}</th>(.*?)</tr>", page.content.decode(), re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[-1] == "0,4"  # not « 0,3 » (truncated)
    assert "(37,5 %)" in cells[1]  # level 1: 3 of 8
    for fmt in ("csv", "ods"):
        assert exported(client, eight_validated, "distribution", fmt, "Niveau moyen", "Code", "PIL") == "0,4", fmt
        assert exported(client, eight_validated, "distribution", fmt, "Niveau 1 (%)", "Code", "PIL") == "37,5", fmt

    # The school's report compares it with its département's mean: the same 0,4.
    pdf = client.get(reverse("assessments:export_pdf", args=[world.school_a.uai, eight_validated.school_year]))
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Moyenne du département (Landes) (8 établissements)" in text
    assert re.search(rf"{PIL} 1 / 3 0,4 0,4", text), "school A at 1, the Landes' and Bordeaux's means at 0,4"
    synthesis = client.get(reverse("assessments:synthesis", args=[world.school_a.uai, eight_validated.school_year]))
    assert synthesis.content.decode().count("<td>0,4</td>") == 10  # five domains, two means

    # A share of 31.25 % reads 31,3 on the page and in both exports (one fixture: it is slow to fill).
    page = client.get(reverse("steering:indicators", args=[eight_validated.pk]))
    first = next(f for f in page.context["rows"] if f.indicator.code == "PIL.1.01")
    assert (first.not_done, first.schools) == (5, 16)
    assert "31,3 %" in page.content.decode()  # half up, not « 31,2 » (half even)
    for fmt in ("csv", "ods"):
        assert exported(client, eight_validated, "indicators", fmt, "Non réalisé (%)", "Code", "PIL.1.01") == "31,3"
