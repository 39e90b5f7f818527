import datetime

import pytest
from django.core.exceptions import ValidationError

from pilotis.assessments import services
from pilotis.assessments.enums import AnswerStatus, AssessmentState
from pilotis.assessments.models import Answer, AnswerChange, Assessment
from pilotis.core.models import AuditEvent
from pilotis.referential.loader import ReferentialError, bundled_files, load_referential
from pilotis.referential.models import Indicator

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
    with pytest.raises(services.AssessmentClosed):
        services.save_answer(campaign, world.school_a, indicator, status=IN_PROGRESS, comment="", by=world.rupn_a)
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
    with pytest.raises(services.AssessmentClosed):
        services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="", by=world.rupn_a)


def test_unknown_status_is_refused(campaign, world, indicator):
    with pytest.raises(ValidationError):
        services.save_answer(campaign, world.school_a, indicator, status="<script>", comment="", by=world.rupn_a)
    assert Answer.objects.count() == 0


def test_a_new_campaign_starts_from_the_previous_answers(campaign, world, referential, indicator):
    other = Indicator.objects.get(version=referential, code="INF.1.01")
    services.save_answer(campaign, world.school_a, indicator, status=DONE, comment="Projet 2024", by=world.rupn_a)
    services.save_answer(campaign, world.school_a, other, status=IN_PROGRESS, comment="", by=world.rupn_a)
    services.close_campaign(campaign, by=world.dane)
    next_year = services.open_campaign(
        academy=world.bordeaux,
        school_year="2027-2028",
        referential=referential,
        opens_on=datetime.date(2027, 9, 1),
        closes_on=datetime.date(2028, 6, 30),
        by=world.dane,
    )
    copied = services.start_from_previous(next_year, world.school_a, by=world.rupn_a)
    assert copied == 2
    new = Assessment.objects.get(campaign=next_year, school=world.school_a)
    assert dict(new.answers.values_list("indicator__code", "status")) == {"PIL.1.01": DONE, "INF.1.01": IN_PROGRESS}
    assert new.started_from.campaign == campaign
    with pytest.raises(ValidationError):
        services.start_from_previous(next_year, world.school_a, by=world.rupn_a)
