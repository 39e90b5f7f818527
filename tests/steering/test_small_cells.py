"""The small-cell rule at its boundary: a share or a mean over 4 schools is not given (« — » on the
page, an empty cell in the export); over 5 it is. The counts stay, and the figures the page shows
are checked against counts worked out by hand, not against the code that computes them.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import Assessment
from pilotis.referential.models import Domain, Indicator
from pilotis.steering.figures import DomainDistribution, IndicatorFigures, Progress, share
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

DONE, DOING, NOT_DONE = AnswerStatus.DONE, AnswerStatus.IN_PROGRESS, AnswerStatus.NOT_DONE


# The figures themselves.


def test_a_share_over_four_schools_is_not_given_over_five_it_is():
    assert share(1, 4) is None
    assert share(4, 4) is None
    assert share(1, 5) == 0.2
    assert share(0, 5) == 0.0
    assert share(5, 5) == 1.0


def test_the_progress_shares_at_the_boundary():
    assert Progress(schools=4, started=2, validated=1).shares == {
        "not_started": None,
        "filling": None,
        "validated": None,
        "started": None,
    }
    # Of five: two started (one validated, one filling in), three not started.
    assert Progress(schools=5, started=2, validated=1).shares == {
        "not_started": 0.6,
        "filling": 0.2,
        "validated": 0.2,
        "started": 0.4,
    }


def test_an_indicators_shares_at_the_boundary():
    four = IndicatorFigures(indicator=None, schools=4, done=1, in_progress=1, not_done=1)
    assert set(four.shares.values()) == {None}
    assert four.unanswered == 1
    five = IndicatorFigures(indicator=None, schools=5, done=1, in_progress=1, not_done=2)
    assert five.shares == {"realise": 0.2, "en_cours": 0.2, "non_realise": 0.4, "unanswered": 0.2}


def test_a_level_distribution_at_the_boundary():
    four = DomainDistribution(domain=None, schools=4, counts=[2, 1, 1, 0])
    assert four.mean is None and four.shares == [None, None, None, None]
    five = DomainDistribution(domain=None, schools=5, counts=[2, 1, 1, 1])
    # (0×2 + 1×1 + 2×1 + 3×1) / 5 = 6/5
    assert five.mean == pytest.approx(1.2)
    assert five.shares == [0.4, 0.2, 0.2, 0.2]


# The pages and the exports. The Pyrénées-Atlantiques hold school B; the tests add collèges there.


def more_schools(world, count):
    return [SchoolFactory(name=f"Collège Béarnais {n}", department=world.pyrenees) for n in range(count)]


def answer(campaign, school, code, status, by):
    indicator = Indicator.objects.get(version=campaign.referential, code=code)
    services.save_answer(campaign, school, indicator, status=status, comment="", by=by)


@pytest.fixture
def four_schools(world, campaign):
    """Pyrénées-Atlantiques: school B « Réalisé » on PIL.1.01, one collège « En cours », two « Non
    réalisé »."""
    schools = more_schools(world, 3)
    answer(campaign, world.school_b, "PIL.1.01", DONE, world.rupn_b)
    answer(campaign, schools[0], "PIL.1.01", DOING, world.dane)
    answer(campaign, schools[1], "PIL.1.01", NOT_DONE, world.dane)
    answer(campaign, schools[2], "PIL.1.01", NOT_DONE, world.dane)
    return campaign


def page(client_for, board, campaign, persona="correspondant_64"):
    response = client_for(persona).get(reverse(f"steering:{board}", args=[campaign.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(fragment):
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def indicator_row(content, code):
    """The cells of the indicator's row on the Indicateurs page, as read."""
    row = re.search(re.escape(code) + r" · .*?</th>(.*?)</tr>", content, re.S)
    assert row, code
    return [text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def progress_tiles(content):
    """The Avancement page's three tiles: label → « count (share) »."""
    tiles = re.findall(
        r'<h3 class="fr-tile__title"><a [^>]*>(.*?)</a></h3>\s*<p class="fr-tile__detail">(.*?)</p>', content, re.S
    )
    return {text_of(label): text_of(detail) for label, detail in tiles}


def export_rows(client_for, board, campaign):
    response = client_for("correspondant_64").get(reverse("steering:export", args=[campaign.pk, board, "csv"]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_indicators_page_over_four_schools_shows_counts_only(client_for, world, four_schools):
    assert indicator_row(page(client_for, "indicators", four_schools), "PIL.1.01") == [
        "— (1)",
        "— (1)",
        "— (2)",
        "— (0)",
    ]


def test_the_indicators_page_over_five_schools_shows_shares(client_for, world, four_schools):
    more_schools(world, 1)  # a fifth school, which has not answered
    assert indicator_row(page(client_for, "indicators", four_schools), "PIL.1.01") == [
        "20,0 % (1)",
        "20,0 % (1)",
        "40,0 % (2)",
        "20,0 % (1)",
    ]


def test_the_progress_page_at_the_boundary(client_for, world, four_schools):
    # Four schools, all started, none validated.
    assert set(progress_tiles(page(client_for, "progress", four_schools)).values()) == {"0 (—)", "4 (—)"}
    more_schools(world, 1)
    tiles = progress_tiles(page(client_for, "progress", four_schools))
    assert sorted(tiles.values()) == ["0 (0,0 %)", "1 (20,0 %)", "4 (80,0 %)"]


def test_the_indicators_export_at_the_boundary(client_for, world, four_schools):
    def pil_row(rows):
        return dict(zip(rows[0], next(r for r in rows if "PIL.1.01" in r), strict=True))

    columns = ["Réalisé", "En cours", "Non réalisé", "Sans réponse"]
    shares = [f"{column} (%)" for column in columns]
    four = pil_row(export_rows(client_for, "indicators", four_schools))
    assert [four[c] for c in columns + shares] == ["1", "1", "2", "0", "", "", "", ""]
    more_schools(world, 1)
    five = pil_row(export_rows(client_for, "indicators", four_schools))
    assert [five[c] for c in columns + shares] == ["1", "1", "2", "1", "20,0", "20,0", "40,0", "20,0"]


def validate_with_pilotage_level_one(campaign, school, by):
    """Level 1 of Pilotage « Réalisé », nothing else answered, validated: level 1 in Pilotage,
    0 elsewhere."""
    for indicator in Indicator.objects.filter(version=campaign.referential, domain__code="PIL", level=1):
        services.save_answer(campaign, school, indicator, status=DONE, comment="", by=by)
    services.validate_assessment(Assessment.objects.get(campaign=campaign, school=school), by=by)


def test_the_maturity_page_at_the_boundary(client_for, world, campaign):
    schools = [world.school_b, *more_schools(world, 4)]
    for school in schools[:4]:
        validate_with_pilotage_level_one(campaign, school, world.dane)
    pilotage = Domain.objects.get(version=campaign.referential, code="PIL")
    # Schools at level 0, 1, 2, 3 (share), then the mean: four validated schools, counts only.
    assert distribution_row(page(client_for, "maturity", campaign), pilotage) == "0 (—) 4 (—) 0 (—) 0 (—) —"
    validate_with_pilotage_level_one(campaign, schools[4], world.dane)
    # Five, all at level 1 in Pilotage: every share and the mean, (0×0 + 1×5) / 5 = 1.
    assert (
        distribution_row(page(client_for, "maturity", campaign), pilotage)
        == "0 (0,0 %) 5 (100,0 %) 0 (0,0 %) 0 (0,0 %) 1,0"
    )


def distribution_row(content, domain):
    """The cells of the domain's row in the table « Niveaux atteints par domaine », as read."""
    table = content[content.index("Niveaux atteints par domaine") :]
    row = re.search(r'<th scope="row">' + re.escape(domain.title) + r"</th>(.*?)</tr>", table, re.S)
    assert row, domain.title
    return text_of(row.group(1))
