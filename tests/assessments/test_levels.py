"""The level rule as properties, over arbitrary domains and answers."""

from hypothesis import given
from hypothesis import strategies as st

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.levels import level_reached, progress_by_level

STATUSES = st.sampled_from([None, AnswerStatus.NOT_DONE, AnswerStatus.IN_PROGRESS, AnswerStatus.DONE])


@st.composite
def domains(draw):
    """A domain: 1 to 7 indicators on each of some of levels 1..3 (a domain may lack any of them,
    level 1 included), and an answer (or none) for each."""
    present = draw(st.sets(st.sampled_from([1, 2, 3]), min_size=1))
    levels = {}
    for level in sorted(present):
        for rank in range(draw(st.integers(1, 7))):
            levels[f"D.{level}.{rank:02d}"] = level
    answers = {code: draw(STATUSES) for code in levels}
    return levels, answers


def by_definition(levels, answers):
    """The rule, written out: the highest of the domain's own levels n such that every indicator
    of levels 1..n is Réalisé; 0 if there is none. A level the domain lacks is neither reached
    nor a gap."""
    best = 0
    for n in sorted(set(levels.values())):
        if all(answers[c] == AnswerStatus.DONE for c, lv in levels.items() if lv <= n):
            best = n
    return best


@given(domains())
def test_level_matches_the_definition(domain):
    levels, answers = domain
    assert level_reached(levels, answers) == by_definition(levels, answers)


@given(domains(), STATUSES.filter(lambda status: status != AnswerStatus.DONE))
def test_a_gap_in_the_domains_first_level_means_level_zero(domain, status):
    levels, answers = domain
    lowest = min(levels.values())
    first = next(code for code, level in levels.items() if level == lowest)
    assert level_reached(levels, {**answers, first: status}) == 0


@given(domains(), st.data())
def test_answering_realise_never_lowers_the_level_and_withdrawing_it_never_raises_it(domain, data):
    levels, answers = domain
    before = level_reached(levels, answers)
    code = data.draw(st.sampled_from(sorted(levels)), label="code")
    assert level_reached(levels, {**answers, code: AnswerStatus.DONE}) >= before
    other = data.draw(STATUSES.filter(lambda status: status != AnswerStatus.DONE), label="other")
    assert level_reached(levels, {**answers, code: other}) <= before


@given(domains())
def test_progress_shares_add_up(domain):
    levels, answers = domain
    progress = progress_by_level(levels, answers)
    assert [p.number for p in progress] == sorted(set(levels.values()))
    for p in progress:
        assert 0 <= p.done_share + p.in_progress_share <= 1
        at_level = [answers[c] for c, lv in levels.items() if lv == p.number]
        assert p.total == len(at_level)
        assert p.done == at_level.count(AnswerStatus.DONE)
        assert p.in_progress == at_level.count(AnswerStatus.IN_PROGRESS)


def test_all_done_is_level_three():
    levels = {"D.1.01": 1, "D.2.01": 2, "D.3.01": 3}
    assert level_reached(levels, dict.fromkeys(levels, AnswerStatus.DONE)) == 3
    assert level_reached(levels, {"D.1.01": AnswerStatus.DONE, "D.3.01": AnswerStatus.DONE}) == 1


def test_a_level_the_domain_lacks_is_neither_reached_nor_a_gap():
    # Levels 1 and 3 only.
    levels = {"D.1.01": 1, "D.3.01": 3}
    assert level_reached(levels, {"D.1.01": AnswerStatus.DONE}) == 1
    assert level_reached(levels, dict.fromkeys(levels, AnswerStatus.DONE)) == 3
    # Levels 2 and 3 only: level 2 is the first to reach.
    levels = {"D.2.01": 2, "D.3.01": 3}
    assert level_reached(levels, {"D.3.01": AnswerStatus.DONE}) == 0
    assert level_reached(levels, {"D.2.01": AnswerStatus.DONE}) == 2
