"""Writes of the self-assessment: each in a transaction, with its history or audit row.

Concurrency (check 7): answers are one row per indicator, so two people saving different
indicators never touch the same row. Every save first locks the assessment row
(`select_for_update` on PostgreSQL; on SQLite the IMMEDIATE transactions of the settings
serialise writers), then checks that the assessment is still open: a page left open on an
assessment validated meanwhile cannot overwrite it. Two saves of one indicator: the later wins
and both are in its history, the stale one marked by `based_on_revision`.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.assessments import tallies
from pilotis.assessments.enums import AnswerStatus, AssessmentState, CampaignState
from pilotis.assessments.levels import level_reached
from pilotis.assessments.locked_read import ANSWER_FIELDS, lock_for_answer
from pilotis.assessments.models import Answer, AnswerChange, AnswerChangeKind, Assessment, Campaign
from pilotis.core import audit, sql
from pilotis.core.enums import AuditAction
from pilotis.referential.cache import domain_levels_of, indicators_of
from pilotis.referential.models import CodeMapping, Indicator


class AssessmentClosed(ValidationError):
    """The assessment was validated, or its campaign closed, since the page was loaded."""


@transaction.atomic
def open_campaign(*, academy, school_year, referential, opens_on, closes_on, by, request=None) -> Campaign:
    if closes_on < opens_on:
        raise ValidationError(_("La date de clôture doit suivre la date d'ouverture."))
    if Campaign.objects.filter(academy=academy, school_year=school_year).exists():
        raise ValidationError(_("Une campagne existe déjà pour cette année scolaire dans l'académie."))
    campaign = Campaign.objects.create(
        academy=academy,
        school_year=school_year,
        referential=referential,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    if referential.locked_at is None:
        # From now on the version's content may not change (the loader refuses it).
        referential.locked_at = timezone.now()
        referential.save(update_fields=["locked_at"])
    audit.record(
        AuditAction.CAMPAIGN_OPENED,
        actor=by,
        obj=campaign,
        after={
            "year": school_year,
            "referential": referential.version,
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "state": campaign.state,
        },
        request=request,
    )
    return campaign


@transaction.atomic
def close_campaign(campaign, *, by, request=None) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != CampaignState.CLOSED:
        before = campaign.state
        campaign.state = CampaignState.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["state", "closed_at"])
        audit.record(
            AuditAction.CAMPAIGN_CLOSED,
            actor=by,
            obj=campaign,
            before={"state": before},
            after={"state": campaign.state},
            request=request,
        )
    return campaign


def _lock(assessments):
    # Lock the assessment row only: locking the joined campaign row too (PostgreSQL's default)
    # would make every save of the académie wait for the others. A save racing the campaign's
    # closure by a few milliseconds may still land, as it was made while the campaign was open.
    # The campaign is read with it, under the lock: its state is what `_ensure_writable` checks.
    # (The autosave's own read is assessments.locked_read; this one serves the first answer of a
    # campaign and save_answer.)
    return assessments.select_for_update(of=("self",)).select_related("campaign__referential").first()


def _locked_assessment(campaign, school) -> Assessment:
    assessment = _lock(Assessment.objects.filter(campaign=campaign, school=school))
    if assessment is None:  # the school's first answer of the campaign
        Assessment.objects.get_or_create(campaign=campaign, school=school)
        assessment = _lock(Assessment.objects.filter(campaign=campaign, school=school))
    return assessment


def _ensure_writable(assessment) -> None:
    if assessment.state == AssessmentState.VALIDATED:
        raise AssessmentClosed(
            _("Cet autodiagnostic a été validé entre-temps : votre modification n'a pas été enregistrée.")
        )
    if assessment.campaign.state != CampaignState.OPEN:
        raise AssessmentClosed(_("La campagne est close : les réponses ne peuvent plus changer."))


def _check_status(status) -> None:
    if status not in {"", *AnswerStatus.values}:
        raise ValidationError(_("Réponse inconnue."))


INDICATOR, STATUS = ANSWER_FIELDS.index("indicator_id"), ANSWER_FIELDS.index("status")

# « Dernière activité » is shown to the minute: an answer that moves neither a level nor the
# number answered leaves the assessment row alone if it was touched less than this ago.
ACTIVITY_PRECISION = datetime.timedelta(seconds=60)


@dataclass
class SaveResult:
    answer: Answer
    assessment: Assessment
    changed: bool
    overwrote_newer: bool  # the author's page was stale: a save of someone else came in between


@transaction.atomic
def save_answer(
    campaign, school, indicator, *, status, comment, by, seen_revision=None, carried_over_from=""
) -> SaveResult:
    """Records one indicator's answer (the status may be "" for "not answered yet").
    `carried_over_from` (a school year) marks it « repris, à vérifier » (start_from_previous)."""
    _check_status(status)
    if indicator.version_id != campaign.referential_id:
        raise PermissionDenied
    assessment = _locked_assessment(campaign, school)
    return _record(
        assessment,
        school,
        indicator,
        status=status,
        comment=comment,
        by=by,
        seen_revision=seen_revision,
        carried_over_from=carried_over_from,
    )


@transaction.atomic
def save_answer_by_code(school, school_year, code, *, status, comment, by, seen_revision=None) -> SaveResult:
    """The autosave: the same as `save_answer`, with the campaign and the indicator found from
    the URL's year and code, read with the locked assessment and the domain's answers
    (`locked_read`). Raises Campaign.DoesNotExist or Indicator.DoesNotExist, writing nothing."""
    _check_status(status)
    locked = lock_for_answer(school, school_year, code)
    if locked is not None:
        assessment, rows = locked.assessment, locked.answers
    else:  # the school's first answer of the campaign, or no such campaign
        campaign = Campaign.objects.filter(academy_id=school.department.academy_id, school_year=school_year).first()
        if campaign is None:
            raise Campaign.DoesNotExist
        assessment, rows = _locked_assessment(campaign, school), None
    indicator = indicators_of(assessment.campaign.referential).get(code)
    if indicator is None:
        raise Indicator.DoesNotExist
    return _record(
        assessment, school, indicator, status=status, comment=comment, by=by, seen_revision=seen_revision, rows=rows
    )


def _record(
    assessment, school, indicator, *, status, comment, by, seen_revision, rows=None, carried_over_from=""
) -> SaveResult:
    """The write itself, under the assessment's lock. It counts its statements (the autosave's
    path): one read of the domain's answers serves both the answer to change and the domain's
    new level, and the assessment row is updated only when its figures move. A change clears
    « repris, à vérifier » in the same UPDATE; a carried-over answer sets it."""
    _ensure_writable(assessment)
    referential = assessment.campaign.referential
    indicator_levels = domain_levels_of(referential, indicator.domain_id)  # code → level
    catalogue = indicators_of(referential)
    codes = {catalogue[code].pk: code for code in indicator_levels}  # the domain's, by pk
    if rows is None:  # values, not instances: only the answer to change becomes one
        rows = list(Answer.objects.filter(assessment=assessment, indicator_id__in=codes).values_list(*ANSWER_FIELDS))
    statuses = {codes[row[INDICATOR]]: row[STATUS] for row in rows}
    mine = next((row for row in rows if row[INDICATOR] == indicator.pk), None)
    if mine is None:
        answer = Answer.objects.create(assessment=assessment, indicator=indicator)
    else:
        answer = Answer.from_db(Answer.objects.db, ANSWER_FIELDS, mine)
        answer.assessment = assessment
    answer.indicator = indicator  # the cached one, with its domain: the answer's page reads them
    comment = (comment or "").strip()
    if answer.status == status and answer.comment == comment:
        return SaveResult(answer, assessment, changed=False, overwrote_newer=False)
    now = timezone.now()
    stale = seen_revision is not None and seen_revision < answer.revision
    # The three writes below are written with core.sql: through the ORM, compiling them cost more
    # than the database spent running them (benchmarks/README.md).
    sql.insert(
        AnswerChange,
        {
            "answer_id": answer.pk,
            "changed_by_id": by.pk if by else None,
            "changed_by_label": str(by)[:200] if by else "",
            "changed_at": now,
            "status_before": answer.status,
            "status_after": status,
            "comment_before": answer.comment,
            "comment_after": comment,
            "based_on_revision": seen_revision,
            "kind": AnswerChangeKind.CARRIED_OVER if carried_over_from else AnswerChangeKind.CHANGED,
        },
    )
    # Compare-and-set on the revision: the row is ours under the assessment lock, so this update
    # cannot lose another writer's increment.
    assign = {
        "status": status,
        "comment": comment,
        "revision": answer.revision + 1,
        "updated_by_id": by.pk if by else None,
        "updated_at": now,
        "to_check": bool(carried_over_from),
    }
    if carried_over_from:
        assign |= {"carried_over_from": carried_over_from, "carried_over_by_id": by.pk if by else None}
        answer.carried_over_from, answer.carried_over_by = carried_over_from, by
    sql.update(Answer, where={"id": answer.pk}, assign=assign)
    answer.to_check = bool(carried_over_from)
    statuses[indicator.code] = status
    levels = dict(assessment.domain_levels)
    levels[indicator.domain.code] = level_reached(indicator_levels, statuses)
    answered = assessment.answered_count + (1 if status else 0) - (1 if answer.status else 0)
    last = assessment.last_activity_at
    if (
        levels != assessment.domain_levels
        or answered != assessment.answered_count
        or not last
        or now - last >= ACTIVITY_PRECISION
    ):
        sql.update(
            Assessment,
            where={"id": assessment.pk},
            assign={"last_activity_at": now, "domain_levels": levels, "answered_count": answered},
        )
        assessment.last_activity_at = now
    tallies.answer_changed(
        assessment,
        school,
        indicator,
        old_status=answer.status,
        new_status=status,
        old_levels=assessment.domain_levels,
        new_levels=levels,
        old_answered=assessment.answered_count,
        new_answered=answered,
    )
    answer.status, answer.comment, answer.revision = status, comment, answer.revision + 1
    answer.updated_by, answer.updated_at = by, now
    assessment.domain_levels, assessment.answered_count = levels, answered
    return SaveResult(answer, assessment, changed=True, overwrote_newer=stale)


@transaction.atomic
def validate_assessment(assessment, *, by, request=None) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update(of=("self",)).select_related("campaign", "school").get(pk=assessment.pk)
    )
    if assessment.state == AssessmentState.VALIDATED:
        raise ValidationError(_("Cet autodiagnostic est déjà validé."))
    if assessment.campaign.state != CampaignState.OPEN:
        raise ValidationError(_("La campagne est close."))
    now = timezone.now()
    assessment.state = AssessmentState.VALIDATED
    assessment.validated_by = by
    assessment.validated_by_label = by.get_full_name() or by.get_username()
    assessment.validated_at = now
    assessment.last_activity_at = now
    assessment.save(update_fields=["state", "validated_by", "validated_by_label", "validated_at", "last_activity_at"])
    tallies.validation_changed(assessment, assessment.school, +1)
    audit.record(
        AuditAction.ASSESSMENT_VALIDATED,
        actor=by,
        obj=assessment,
        before={"state": AssessmentState.DRAFT},
        after={"state": AssessmentState.VALIDATED, "validated_by": assessment.validated_by_label},
        request=request,
    )
    return assessment


@transaction.atomic
def reopen_assessment(assessment, *, by, request=None) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update(of=("self",)).select_related("campaign", "school").get(pk=assessment.pk)
    )
    if assessment.state != AssessmentState.VALIDATED:
        raise ValidationError(_("Cet autodiagnostic n'est pas validé."))
    if assessment.campaign.state != CampaignState.OPEN:
        raise ValidationError(_("La campagne est close."))
    before = {"state": assessment.state, "validated_by": assessment.validated_by_label}
    assessment.state = AssessmentState.DRAFT
    assessment.validated_by = None
    assessment.validated_by_label = ""
    assessment.validated_at = None
    assessment.last_activity_at = timezone.now()
    assessment.save(update_fields=["state", "validated_by", "validated_by_label", "validated_at", "last_activity_at"])
    tallies.validation_changed(assessment, assessment.school, -1)
    audit.record(
        AuditAction.ASSESSMENT_REOPENED,
        actor=by,
        obj=assessment,
        before=before,
        after={"state": assessment.state},
        request=request,
    )
    return assessment


def previous_assessment(campaign, school) -> Assessment | None:
    """The school's assessment of its latest earlier school year. Should it have two that year (a
    school that changed académie has one per académie's campaign), the validated one first."""
    return (
        Assessment.objects.filter(school=school, campaign__school_year__lt=campaign.school_year)
        .select_related("campaign__referential")
        .order_by(
            "-campaign__school_year",
            Case(When(state=AssessmentState.VALIDATED, then=Value(0)), default=Value(1)),
            "-last_activity_at",
        )
        .first()
    )


def _code_translation(old_version, new_version) -> dict[str, str]:
    """Old indicator code → new one, following the versions' code maps (same code if kept)."""
    new_codes = set(Indicator.objects.filter(version=new_version).values_list("code", flat=True))
    if old_version.pk == new_version.pk:
        return {code: code for code in new_codes}
    chain, version = [], new_version
    while version is not None and version.pk != old_version.pk:
        chain.append(version)
        version = version.supersedes
    translation = {code: code for code in Indicator.objects.filter(version=old_version).values_list("code", flat=True)}
    for step in reversed(chain):
        mapping = dict(CodeMapping.objects.filter(version=step).values_list("old_code", "new_code"))
        translation = {old: mapping.get(current, current) for old, current in translation.items()}
    return {old: new for old, new in translation.items() if new in new_codes}


@transaction.atomic
def start_from_previous(campaign, school, *, by) -> int:
    """Copies the previous campaign's answers into an assessment not yet answered. Returns the count."""
    source = previous_assessment(campaign, school)
    if source is None:
        raise ValidationError(_("Aucun autodiagnostic d'une année précédente pour cet établissement."))
    assessment = _locked_assessment(campaign, school)
    _ensure_writable(assessment)
    if assessment.answers.exclude(status="", comment="").exists():
        raise ValidationError(
            _("Des réponses ont déjà été saisies : la reprise n'est possible que sur un autodiagnostic vierge.")
        )
    translation = _code_translation(source.campaign.referential, campaign.referential)
    indicators = {i.code: i for i in Indicator.objects.filter(version=campaign.referential)}
    copied = 0
    for old in source.answers.select_related("indicator").exclude(status="", comment=""):
        new_code = translation.get(old.indicator.code)
        if new_code is None:
            continue
        save_answer(
            campaign,
            school,
            indicators[new_code],
            status=old.status,
            comment=old.comment,
            by=by,
            carried_over_from=source.campaign.school_year,
        )
        copied += 1
    Assessment.objects.filter(pk=assessment.pk).update(started_from=source)
    return copied


@transaction.atomic
def confirm_carried_over(campaign, school, indicators, *, by) -> int:
    """Confirms the answers « repris, à vérifier » of these indicators as they stand: each gets a
    history row saying so (one revision more). Returns how many were confirmed."""
    assessment = _locked_assessment(campaign, school)
    _ensure_writable(assessment)
    answers = list(
        Answer.objects.filter(assessment=assessment, indicator__in=indicators, to_check=True).order_by("indicator_id")
    )
    now = timezone.now()
    for answer in answers:
        sql.insert(
            AnswerChange,
            {
                "answer_id": answer.pk,
                "changed_by_id": by.pk if by else None,
                "changed_by_label": str(by)[:200] if by else "",
                "changed_at": now,
                "status_before": answer.status,
                "status_after": answer.status,
                "comment_before": answer.comment,
                "comment_after": answer.comment,
                "based_on_revision": answer.revision,
                "kind": AnswerChangeKind.CONFIRMED,
            },
        )
        sql.update(Answer, where={"id": answer.pk}, assign={"to_check": False, "revision": answer.revision + 1})
    return len(answers)


def shown_at(answer, revision: int) -> tuple[str, str]:
    """(status, comment) of an answer as it stood at `revision` (0: not answered yet), read from
    its history, whose n-th row is revision n."""
    if answer is None or revision <= 0:
        return "", ""
    rows = list(AnswerChange.objects.filter(answer=answer).order_by("id").values_list("status_after", "comment_after"))
    return rows[revision - 1] if revision <= len(rows) else (answer.status, answer.comment)
