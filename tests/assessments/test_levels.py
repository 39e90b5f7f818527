"""The level rule as properties, over arbitrary domains and answers."""

from hypothesis import given
from hypothesis import strategies as st

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.levels import level_reached, progress_by_level

STATUSES = st.sampled_from([None, AnswerStatus.NOT_DONE, AnswerStatus.IN_PROGRESS, AnswerStatus.DONE])


@st.composite
def domains(draw):
    """A domain: 1 to 7 indicators on each of levels 1..3, and an answer (or none) for each."""
    levels = {}
    for level in (1, 2, 3):
        for rank in range(draw(st.integers(1, 7))):
            levels[f"D.{level}.{rank:02d}"] = level
    answers = {code: draw(STATUSES) for code in levels}
    return levels, answers


def by_definition(levels, answers):
    """The rule as DESIGN.md states it: the highest n such that levels 1..n are all Réalisé."""
    best = 0
    for n in (1, 2, 3):
        if all(answers[c] == AnswerStatus.DONE for c, lv in levels.items() if lv <= n):
            best = n
    return best


@given(domains())
def test_level_matches_the_definition(domain):
    levels, answers = domain
    assert level_reached(levels, answers) == by_definition(levels, answers)


@given(domains())
def test_a_level_one_gap_means_level_zero(domain):
    levels, answers = domain
    first = next(code for code, level in levels.items() if level == 1)
    answers = {**answers, first: AnswerStatus.IN_PROGRESS}
    assert level_reached(levels, answers) == 0


@given(domains(), st.sampled_from([AnswerStatus.DONE]))
def test_answering_realise_never_lowers_the_level(domain, done):
    levels, answers = domain
    before = level_reached(levels, answers)
    for code in levels:
        assert level_reached(levels, {**answers, code: done}) >= before


@given(domains())
def test_progress_shares_add_up(domain):
    levels, answers = domain
    for progress in progress_by_level(levels, answers):
        assert 0 <= progress.done_share + progress.in_progress_share <= 1
        assert progress.total == sum(1 for lv in levels.values() if lv == progress.number)
        assert progress.done == sum(
            1 for c, lv in levels.items() if lv == progress.number and answers[c] == AnswerStatus.DONE
        )


def test_all_done_is_level_three():
    levels = {"D.1.01": 1, "D.2.01": 2, "D.3.01": 3}
    assert level_reached(levels, dict.fromkeys(levels, AnswerStatus.DONE)) == 3
    assert level_reached(levels, {"D.1.01": AnswerStatus.DONE, "D.3.01": AnswerStatus.DONE}) == 1
