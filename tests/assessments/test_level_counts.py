"""Each level's progress — « réalisé » and « en cours » — against counts worked out by hand.

« En cours » counts the answers « En cours de réalisation » only: neither « Non réalisé » nor an
indicator left unanswered is in progress. The expected figures below are written out, not
computed with the code under test.
"""

import html
import re

from django.template.loader import render_to_string
from django.urls import reverse

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.exports import report_context
from pilotis.assessments.levels import LevelProgress, answered_share, progress_by_level
from pilotis.assessments.models import Assessment

DONE, DOING, NOT_DONE = AnswerStatus.DONE, AnswerStatus.IN_PROGRESS, AnswerStatus.NOT_DONE

# In the bundled referential, Pilotage has 6 indicators at level 1, 3 at level 2 and 4 at level 3.
PILOTAGE_ANSWERS = {
    "PIL.1.01": DONE,
    "PIL.1.02": DOING,
    "PIL.1.03": NOT_DONE,
    "PIL.1.04": NOT_DONE,
    # PIL.1.05 and PIL.1.06 unanswered
    "PIL.2.01": DOING,
    "PIL.2.02": NOT_DONE,
    "PIL.2.03": DONE,
    "PIL.3.01": NOT_DONE,
}
# Level: (done, in progress, total), counted by hand from the answers above.
PILOTAGE_COUNTS = {1: (1, 1, 6), 2: (1, 1, 3), 3: (0, 0, 4)}
# The same as the page prints them: « réalisé % / en cours % (réalisé + en cours sur total) ».
PILOTAGE_CELLS = [
    "17 % / 17 % (1 + 1 sur 6)",
    "33 % / 33 % (1 + 1 sur 3)",
    "0 % / 0 % (0 + 0 sur 4)",
]


def test_in_progress_counts_only_the_answers_en_cours():
    levels = {"A.1.01": 1, "A.1.02": 1, "A.1.03": 1, "A.1.04": 1, "A.2.01": 2, "A.2.02": 2, "A.2.03": 2}
    answers = {
        "A.1.01": DONE,
        "A.1.02": DOING,
        "A.1.03": NOT_DONE,
        # A.1.04 unanswered
        "A.2.01": NOT_DONE,
        "A.2.02": NOT_DONE,
        "A.2.03": None,
    }
    assert progress_by_level(levels, answers) == [
        LevelProgress(number=1, total=4, done=1, in_progress=1),
        LevelProgress(number=2, total=3, done=0, in_progress=0),
    ]
    first, second = progress_by_level(levels, answers)
    assert (first.done_share, first.in_progress_share) == (0.25, 0.25)
    assert (second.done_share, second.in_progress_share) == (0.0, 0.0)


def test_a_level_all_non_realise_has_nothing_in_progress():
    levels = {"A.1.01": 1, "A.1.02": 1}
    assert progress_by_level(levels, dict.fromkeys(levels, NOT_DONE)) == [
        LevelProgress(number=1, total=2, done=0, in_progress=0)
    ]


def test_the_answered_share_counts_every_answer_and_only_answers():
    answers = {"A.1.01": DONE, "A.1.02": NOT_DONE, "A.1.03": None}
    codes = ["A.1.01", "A.1.02", "A.1.03", "A.1.04"]
    assert answered_share(codes, answers) == 0.5  # 2 of 4: « Non réalisé » is an answer, None is not
    assert answered_share(iter(codes), answers) == 0.5
    assert answered_share([], answers) == 0.0


def answer_pilotage(campaign, world, referential):
    for code, status in PILOTAGE_ANSWERS.items():
        indicator = referential.indicators.get(code=code)
        services.save_answer(campaign, world.school_a, indicator, status=status, comment="", by=world.rupn_a)


def progress_cells(page: str, domain_title: str) -> list[str]:
    """The cells of the domain's row in the table « Avancement de chaque niveau », as read."""
    table = page[page.index("Avancement de chaque niveau") :]
    row = re.search(r"<th scope=\"row\">" + re.escape(domain_title) + r"</th>(.*?)</tr>", table, re.S)
    assert row, domain_title
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_the_synthesis_page_shows_the_counts_worked_out_by_hand(client_for, world, campaign, referential):
    answer_pilotage(campaign, world, referential)
    response = client_for("correspondant_40").get(
        reverse("assessments:synthesis", args=[world.school_a.uai, campaign.school_year])
    )
    assert response.status_code == 200
    pilotage = referential.domains.get(code="PIL").title
    assert progress_cells(html.unescape(response.content.decode()), pilotage) == PILOTAGE_CELLS


def test_the_report_shows_the_same_counts(world, campaign, referential):
    """The PDF's source: the same three counts per level as the page."""
    answer_pilotage(campaign, world, referential)
    assessment = Assessment.objects.get(campaign=campaign, school=world.school_a)
    source = html.unescape(
        render_to_string("assessments/pdf/report.html", report_context(campaign, world.school_a, assessment))
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", source).split())
    for done, doing, total in PILOTAGE_COUNTS.values():
        assert f"{done} + {doing} sur {total}" in text
    # Level 1 of Pilotage, with « Non réalisé » counted as in progress, would read « 1 + 3 sur 6 ».
    assert "1 + 3 sur 6" not in text
