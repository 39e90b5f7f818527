import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus, AssessmentState
from pilotis.assessments.models import Answer, AnswerChange, AnswerChangeKind, Assessment, Campaign
from pilotis.core.models import AuditEvent
from pilotis.core.school_years import current_school_year
from pilotis.referential.loader import ReferentialError, bundled_files, load_referential
from pilotis.referential.models import Indicator
from tests.factories import UserFactory

DONE, IN_PROGRESS = AnswerStatus.DONE, AnswerStatus.IN_PROGRESS


def test_opening_a_campaign_freezes_its_referential(campaign, referential, tmp_path):
    referential.refresh_from_db()
    assert referential.is_locked
    source = bundled_files()[0]
    changed = tmp_path / "schematic-2021.yaml"
    changed.write_text(
        source.read_text(encoding="utf-8").replace("Présentation de CARTOUN", "Présentation"), encoding="utf-8"
    )
    with pytest.raises(ReferentialError):
        load_referential(changed)


def test_one_campaign_per_year_and_academy(campaign, world, referential):
    with pytest.raises(ValidationError):
        services.open_campaign(
            academy=world.bordeaux,
            school_year="2026-2027",
            referential=referential,
            opens_on=datetime.date(2026, 9, 1),
            closes_on=datetime.date(2027, 6, 30),
            by=world.dane,
        )


def test_save_answer_records_history(campaign, world, indicator):
    services.save_answer(campaign, world.school_a, indicator, status=IN_PROGRESS, comment="", by=world.rupn_a)
    result = services.save_answer(
        campaign, world.school_a, indicator, status=DONE, comment="Voté en CA", by=world.chef_a
    )
    assert result.changed and result.answer.revision == 2
    changes = list(AnswerChange.objects.filter(answer=result.answer).order_by("changed_at", "id"))
    assert [(c.status_before, c.status_after, c.changed_by) for c in changes] == [
        ("", IN_PROGRESS, world.rupn_a),
        (IN_PROGRESS, DONE, world.chef_a),
    ]
    assert changes[1].comment_after == "Voté en CA"


def test_saving_the_same_value_writes_nothing(campaign, world, indicator):
    services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    again = services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    assert not again.changed
    assert AnswerChange.objects.count() == 1


def test_stale_save_wins_but_is_marked_and_both_are_in_history(campaign, world, indicator):
    first = services.save_answer(campaign, world.school_a, indicator, status=IN_PROGRESS, comment="", by=world.rupn_a)
    seen = first.answer.revision
    services.save_answer(
        campaign, world.school_a, indicator, status=DONE, comment="", by=world.chef_a, seen_revision=seen
    )
    late = services.save_answer(
        campaign,
        world.school_a,
        indicator,
        status=AnswerStatus.NOT_DONE,
        comment="",
        by=world.rupn_a,
        seen_revision=seen,
    )
    assert late.overwrote_newer
    assert Answer.objects.get().status == AnswerStatus.NOT_DONE
    assert AnswerChange.objects.count() == 3


def test_a_validated_assessment_cannot_be_overwritten(campaign, world, indicator):
    services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    assessment = Assessment.objects.get()
    services.validate_assessment(assessment, by=world.chef_a)
    with pytest.raises(services.AssessmentClosed) as refused:
        services.save_answer(campaign, world.school_a, indicator, status=IN_PROGRESS, comment="", by=world.rupn_a)
    assert refused.value.messages == [
        "Cet autodiagnostic a été validé entre-temps : votre modification n'a pas été enregistrée."
    ]
    assert Answer.objects.get().status == DONE
    assessment.refresh_from_db()
    assert (assessment.state, assessment.validated_by) == (AssessmentState.VALIDATED, world.chef_a)
    assert AuditEvent.objects.filter(action="assessment_validated", actor=world.chef_a).exists()


def test_reopen_then_save(campaign, world, indicator):
    services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    assessment = services.validate_assessment(Assessment.objects.get(), by=world.chef_a)
    services.reopen_assessment(assessment, by=world.chef_a)
    services.save_answer(campaign, world.school_a, indicator, status=IN_PROGRESS, comment="", by=world.rupn_a)
    assert Answer.objects.get().status == IN_PROGRESS


def test_closed_campaign_refuses_answers(campaign, world, indicator):
    services.close_campaign(campaign, by=world.dane)
    with pytest.raises(services.AssessmentClosed) as refused:
        services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    assert refused.value.messages == ["La campagne est close : les réponses ne peuvent plus changer."]


def test_a_campaign_not_yet_open_refuses_answers_until_its_day(world, referential, indicator):
    from tests.factories import open_campaign

    start = int(current_school_year()[:4]) + 1  # next school year's campaign, opened in advance
    scheduled = open_campaign(world, referential, f"{start}-{start + 1}")
    with pytest.raises(services.AssessmentClosed) as refused:
        services.save_answer(scheduled, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    assert refused.value.messages == [
        f"La campagne {start}-{start + 1} n'ouvre que le 1er septembre {start} : "
        "les réponses ne peuvent pas encore être saisies."
    ]
    assert Answer.objects.count() == 0


def test_unknown_status_is_refused(campaign, world, indicator):
    with pytest.raises(ValidationError) as refused:
        services.save_answer(campaign, world.school_a, indicator, status="<script>", comment="", by=world.rupn_a)
    assert refused.value.messages == ["Réponse inconnue."]
    assert Answer.objects.count() == 0


def test_an_answer_can_be_cleared(campaign, world, indicator):
    """The empty status is « pas encore répondu »: saving it takes an answer back."""
    services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    cleared = services.save_answer(campaign, world.school_a, indicator, status="", comment="", by=world.rupn_a)
    assert cleared.changed
    assert Answer.objects.get().status == ""
    assert Assessment.objects.get().answered_count == 0


def test_the_autosave_reads_the_campaign_only_within_the_locked_read(campaign, world, indicator):
    """Once the school has its self-assessment, an autosave reads the assessment, its campaign and
    the domain's answers in the one locked read: no separate query of the campaign."""
    services.save_answer_by_code(
        world.school_a, "2026-2027", indicator.code, status=IN_PROGRESS, comment="", by=world.rupn_a
    )
    with CaptureQueriesContext(connection) as captured:
        services.save_answer_by_code(
            world.school_a, "2026-2027", indicator.code, status=DONE, comment="", by=world.rupn_a
        )
    campaign_table = f'FROM "{Campaign._meta.db_table}"'
    assert [q["sql"] for q in captured.captured_queries if campaign_table in q["sql"]] == []
    assert Answer.objects.get().status == DONE


def test_a_new_campaign_starts_from_the_previous_answers(campaign, world, referential, indicator):
    # Last year's campaign, answered and closed; this year's (`campaign`) starts from it.
    from tests.factories import open_campaign

    last_year = open_campaign(world, referential, "2025-2026")
    other = Indicator.objects.get(version=referential, code="INF.1.01")
    services.save_answer(last_year, world.school_a, indicator, status=DONE, comment="Projet 2024", by=world.rupn_a)
    services.save_answer(last_year, world.school_a, other, status=IN_PROGRESS, comment="", by=world.rupn_a)
    services.close_campaign(last_year, by=world.dane)
    copied = services.start_from_previous(campaign, world.school_a, by=world.rupn_a)
    assert copied == 2
    new = Assessment.objects.get(campaign=campaign, school=world.school_a)
    assert dict(new.answers.values_list("indicator__code", "status")) == {"PIL.1.01": DONE, "INF.1.01": IN_PROGRESS}
    assert new.started_from.campaign == last_year
    with pytest.raises(ValidationError):
        services.start_from_previous(campaign, world.school_a, by=world.rupn_a)


def test_previous_assessment_is_the_latest_years_validated_one_first(world, referential, indicator):
    """A school that changed académie has two assessments of one year (one per campaign): the
    validated one is the one to start from and to compare with, even if the other moved later."""
    from tests.factories import open_campaign

    older = open_campaign(world, referential, "2024-2025")
    services.save_answer(older, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    services.validate_assessment(Assessment.objects.get(campaign=older), by=world.chef_a)
    bordeaux = open_campaign(world, referential, "2025-2026")
    rennes = services.open_campaign(
        academy=world.rennes,
        school_year="2025-2026",
        referential=referential,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2026, 6, 30),
        by=world.dane_rennes,
    )
    # The draft is created first and touched last: neither its row's age nor its activity wins.
    services.save_answer(rennes, world.school_a, indicator, status=IN_PROGRESS, comment="", by=world.rupn_a)
    services.save_answer(bordeaux, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    validated = services.validate_assessment(Assessment.objects.get(campaign=bordeaux), by=world.chef_a)
    other = Indicator.objects.get(version=referential, code="INF.1.01")
    services.save_answer(rennes, world.school_a, other, status=IN_PROGRESS, comment="", by=world.rupn_a)
    draft = Assessment.objects.get(campaign=rennes)
    assert draft.pk < validated.pk and draft.last_activity_at > validated.last_activity_at
    current = open_campaign(world, referential, "2026-2027")

    assert services.previous_assessment(current, world.school_a) == validated
    # Validated first within the latest year only: none validated there, the latest year still
    # wins over an earlier validated one, and the most recently active of its two is taken.
    services.reopen_assessment(validated, by=world.chef_a)
    third = Indicator.objects.get(version=referential, code="FOR.1.01")  # a new answer: the activity moves
    services.save_answer(rennes, world.school_a, third, status=DONE, comment="", by=world.rupn_a)
    assert services.previous_assessment(current, world.school_a) == draft


def test_the_autosave_marks_a_save_based_on_an_older_revision(campaign, world, indicator):
    """A save made from a page that saw revision r of the answer: up to date while the answer is at
    r, stale once another save moved it past r; either way `based_on_revision` records r."""

    def autosave(status, by, seen, comment=""):
        return services.save_answer_by_code(
            world.school_a, "2026-2027", indicator.code, status=status, comment=comment, by=by, seen_revision=seen
        )

    first = autosave(IN_PROGRESS, world.rupn_a, None)
    assert (first.answer.revision, first.overwrote_newer) == (1, False)
    current = autosave(DONE, world.chef_a, 1)
    assert (current.answer.revision, current.overwrote_newer) == (2, False)
    late = autosave(AnswerStatus.NOT_DONE, world.rupn_a, 1, comment="Reporté")
    assert (late.answer.revision, late.overwrote_newer) == (3, True)
    unchanged = autosave(AnswerStatus.NOT_DONE, world.chef_a, 1, comment="Reporté")
    assert (unchanged.changed, unchanged.overwrote_newer) == (False, False)
    history = AnswerChange.objects.filter(answer__indicator__code=indicator.code).order_by("id")
    assert list(
        history.values_list("based_on_revision", "status_before", "status_after", "comment_after", "changed_by")
    ) == [
        (None, "", IN_PROGRESS, "", world.rupn_a.pk),
        (1, IN_PROGRESS, DONE, "", world.chef_a.pk),
        (1, DONE, AnswerStatus.NOT_DONE, "Reporté", world.rupn_a.pk),
    ]
    answer = Answer.objects.get()
    assert (answer.status, answer.comment, answer.updated_by) == (AnswerStatus.NOT_DONE, "Reporté", world.rupn_a)
    # typed in, not carried over from last year
    assert (answer.to_check, answer.carried_over_from) == (False, "")
    assert set(history.values_list("kind", flat=True)) == {AnswerChangeKind.CHANGED}


def test_a_carried_over_answer_is_marked_to_check_until_it_changes(campaign, world, referential, indicator):
    """An answer saved by hand is no carry-over; one copied by « reprendre » is « repris, à
    vérifier » (the year it comes from, who copied it, a history row of its kind); changing it
    clears the mark."""
    from tests.factories import open_campaign

    last_year = open_campaign(world, referential, "2025-2026")
    services.save_answer(last_year, world.school_a, indicator, status=DONE, comment="Projet", by=world.rupn_a)
    typed = Answer.objects.get(assessment__campaign=last_year)
    assert (typed.to_check, typed.carried_over_from, typed.carried_over_by) == (False, "", None)
    assert list(AnswerChange.objects.filter(answer=typed).values_list("kind", flat=True)) == [""]
    services.close_campaign(last_year, by=world.dane)

    assert services.start_from_previous(campaign, world.school_a, by=world.chef_a) == 1
    copied = Answer.objects.get(assessment__campaign=campaign)
    assert (copied.status, copied.comment) == (DONE, "Projet")
    assert (copied.to_check, copied.carried_over_from, copied.carried_over_by) == (True, "2025-2026", world.chef_a)
    assert list(AnswerChange.objects.filter(answer=copied).values_list("kind", flat=True)) == ["carried_over"]

    services.save_answer(campaign, world.school_a, indicator, status=IN_PROGRESS, comment="", by=world.rupn_a)
    copied.refresh_from_db()
    assert (copied.status, copied.to_check) == (IN_PROGRESS, False)
    assert list(AnswerChange.objects.filter(answer=copied).order_by("id").values_list("kind", flat=True)) == [
        "carried_over",
        "",
    ]


def test_the_level_reached_moves_with_the_save_that_completes_it(campaign, world, referential):
    """Pilotage's level 1 has six indicators (PIL.1.01 to PIL.1.06): the level is reached on the
    save that makes the sixth « réalisé », and lost when one of them changes."""
    codes = [f"PIL.1.0{n}" for n in range(1, 7)]
    for code in codes[:-1]:
        services.save_answer(
            campaign, world.school_a, referential.indicators.get(code=code), status=DONE, comment="", by=world.rupn_a
        )
    assert Assessment.objects.get().domain_levels.get("PIL", 0) == 0
    last = referential.indicators.get(code=codes[-1])
    result = services.save_answer(campaign, world.school_a, last, status=DONE, comment="", by=world.rupn_a)
    assert result.assessment.domain_levels["PIL"] == 1
    assert Assessment.objects.get().domain_levels["PIL"] == 1
    services.save_answer(campaign, world.school_a, last, status=IN_PROGRESS, comment="", by=world.rupn_a)
    assert Assessment.objects.get().domain_levels["PIL"] == 0


def test_what_a_save_returns_and_records_of_its_author(campaign, world, indicator):
    """The result carries the answer (with its assessment and indicator) and the assessment; the
    history names the author, their name cut at 200 characters; a save without an author (by a
    process) records none."""
    long_named = UserFactory(username="long", first_name="A" * 150, last_name="B" * 100)
    result = services.save_answer(campaign, world.school_a, indicator, status=DONE, comment=None, by=long_named)
    assessment = Assessment.objects.get()
    assert (result.answer.assessment, result.answer.indicator, result.assessment) == (assessment, indicator, assessment)
    assert (result.answer.comment, result.answer.to_check) == ("", False)
    change = AnswerChange.objects.get()
    assert (change.changed_by, change.changed_by_label) == (long_named, "A" * 150 + " " + "B" * 49)

    same = services.save_answer(campaign, world.school_a, indicator, status=DONE, comment=None, by=world.rupn_a)
    assert not same.changed
    assert (same.answer.pk, same.answer.status, same.assessment) == (result.answer.pk, DONE, assessment)
    assert same.answer.assessment == assessment

    anonymous = services.save_answer(campaign, world.school_a, indicator, status=IN_PROGRESS, comment="", by=None)
    assert anonymous.changed
    assert (anonymous.answer.assessment, anonymous.answer.indicator) == (assessment, indicator)
    last = AnswerChange.objects.order_by("-id").first()
    assert (last.changed_by, last.changed_by_label) == (None, "")
    assert Answer.objects.get().updated_by is None

    carried = services.save_answer(
        campaign, world.school_a, indicator, status=DONE, comment="", by=None, carried_over_from="2025-2026"
    )
    assert carried.answer.to_check is True
    answer = Answer.objects.get()
    assert (answer.to_check, answer.carried_over_from, answer.carried_over_by) == (True, "2025-2026", None)


def test_the_assessment_row_moves_with_its_figures_or_once_a_minute(campaign, world, referential, indicator):
    """« Dernière activité » is shown to the minute: a save that moves neither a level nor the number
    answered leaves the assessment row alone for a minute; the number answered is kept exact."""
    other = referential.indicators.get(code="INF.1.01")

    def save(target, status, comment=""):
        services.save_answer(campaign, world.school_a, target, status=status, comment=comment, by=world.rupn_a)
        return Assessment.objects.get()

    first = save(indicator, DONE)
    assert first.answered_count == 1 and first.last_activity_at is not None
    assert save(indicator, DONE, "Un commentaire").last_activity_at == first.last_activity_at
    assert save(indicator, IN_PROGRESS, "Un commentaire").answered_count == 1
    assert save(other, AnswerStatus.NOT_DONE).answered_count == 2  # « Non réalisé » is an answer
    assert save(other, "").answered_count == 1
    Assessment.objects.update(last_activity_at=first.last_activity_at - datetime.timedelta(minutes=2))
    assert save(indicator, IN_PROGRESS, "Autre commentaire").last_activity_at > first.last_activity_at


def test_the_assessment_row_moves_when_a_minute_has_passed_exactly(campaign, world, indicator, monkeypatch):
    services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)
    moment = Assessment.objects.get().last_activity_at + datetime.timedelta(hours=1)
    Assessment.objects.update(last_activity_at=moment - datetime.timedelta(seconds=60))
    monkeypatch.setattr(services.timezone, "now", lambda: moment)
    result = services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="Vu", by=world.rupn_a)
    assert result.assessment.last_activity_at == moment
    assert Assessment.objects.get().last_activity_at == moment
