"""Writes of the self-assessment: each in a transaction, with its history or audit row.

Concurrency: two people saving one self-assessment at once lose nothing. Answers are one row
per indicator, so two people saving different indicators never touch the same row. Every save
first locks the assessment row (`FOR UPDATE` on PostgreSQL; on SQLite the IMMEDIATE transactions
of the settings serialise writers), then checks that the assessment is still open: a page left
open on an assessment validated meanwhile cannot overwrite it. Two saves of one indicator: the
later wins and both are in its history, the stale one marked by `based_on_revision`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, F, Sum, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.assessments import tallies
from pilotis.assessments.campaigns import (  # noqa: F401 (the campaigns' verbs, as callers name them)
    change_campaign_dates,
    check_dates,
    check_new_dates,
    close_campaign,
    delete_campaign,
    deletion_refusal,
    open_campaign,
    reopen_campaign,
)
from pilotis.assessments.enums import AnswerStatus, AssessmentState, CampaignPhase
from pilotis.assessments.levels import level_reached
from pilotis.assessments.locked_read import ANSWER_FIELDS, lock_for_answer
from pilotis.assessments.models import Answer, AnswerChange, AnswerChangeKind, Assessment, Campaign
from pilotis.core import audit, sql
from pilotis.core.enums import AuditAction
from pilotis.core.roles import SchoolRole
from pilotis.referential.cache import domain_levels_of, indicators_of
from pilotis.referential.models import CodeMapping, Indicator


class AssessmentClosed(ValidationError):
    """The assessment was validated, or its campaign closed, since the page was loaded."""


def _lock(assessments):
    # Lock the assessment row only: locking the joined campaign row too (PostgreSQL's default)
    # would make every save of the académie wait for the others. A save racing the campaign's
    # closure by a few milliseconds may still land, as it was made while the campaign was open.
    # The campaign is read with it, under the lock: its state is what `_ensure_writable` checks.
    # (A save of an answer locks with `locked_read`, which follows the same rule; this lock serves
    # the writes that are not one answer's: « reprendre » and confirming carried-over answers.)
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
    _ensure_campaign_open(assessment.campaign, AssessmentClosed)


def _ensure_campaign_open(campaign, error=ValidationError) -> None:
    phase = campaign.phase
    if phase == CampaignPhase.SCHEDULED:
        raise error(
            _("La campagne %(year)s n'ouvre que le %(day)s : les réponses ne peuvent pas encore être saisies.")
            % {"year": campaign.school_year, "day": campaign.opens_on_display}
        )
    if phase == CampaignPhase.CLOSED:
        raise error(_("La campagne est close : les réponses ne peuvent plus changer."))


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


def save_answer(
    campaign, school, indicator, *, status, comment, by, seen_revision=None, carried_over_from="", source=""
) -> SaveResult:
    """Records one indicator's answer (the status may be "" for "not answered yet").
    `carried_over_from` (a school year) marks it « repris, à vérifier » (start_from_previous).
    `source` says in words where a change made elsewhere than on this page came from (« l'action
    « … » du plan d'actions »): the history shows it."""
    if indicator.version_id != campaign.referential_id:
        raise PermissionDenied
    return _save(
        school,
        campaign.academy_id,
        campaign.school_year,
        indicator.code,
        status=status,
        comment=comment,
        by=by,
        seen_revision=seen_revision,
        carried_over_from=carried_over_from,
        source=source,
    )


def save_answer_by_code(school, school_year, code, *, status, comment, by, seen_revision=None) -> SaveResult:
    """The autosave: `save_answer`, the campaign named by the URL's year in the school's académie,
    the indicator by its code. Raises Campaign.DoesNotExist or Indicator.DoesNotExist, writing
    nothing."""
    academy_id = school.department.academy_id
    return _save(
        school, academy_id, school_year, code, status=status, comment=comment, by=by, seen_revision=seen_revision
    )


def _save(
    school, academy_id, school_year, code, *, status, comment, by, seen_revision, carried_over_from="", source=""
) -> SaveResult:
    """Every save of an answer, under the assessment's lock. The read under the lock
    (`locked_read`) gives the assessment, its campaign and the domain's answers: the answer to
    change and the statuses of the domain's new level. The assessment row is updated only when
    its figures move, or once a minute. A change clears « repris, à vérifier »; a carried-over
    answer sets it. Its statements are written with `core.sql` (ARCHITECTURE.md says why)."""
    # One transaction, opened here rather than by a decorator: mutmut leaves decorated functions
    # unmutated, and this is the stale-save rule `make mutants` must reach.
    with transaction.atomic():
        _check_status(status)
        locked = lock_for_answer(school, academy_id, school_year, code)
        if locked is None:  # the school's first answer of the campaign, or no such campaign
            campaign = Campaign.objects.filter(academy_id=academy_id, school_year=school_year).first()
            if campaign is None:
                raise Campaign.DoesNotExist
            Assessment.objects.get_or_create(campaign=campaign, school=school)
            locked = lock_for_answer(school, academy_id, school_year, code)
        assessment, rows = locked.assessment, locked.answers
        referential = assessment.campaign.referential
        catalogue = indicators_of(referential)
        indicator = catalogue.get(code)  # the cached one, with its domain: the answer's page reads them
        if indicator is None:
            raise Indicator.DoesNotExist
        _ensure_writable(assessment)
        indicator_levels = domain_levels_of(referential, indicator.domain_id)  # code → level
        codes = {catalogue[code].pk: code for code in indicator_levels}  # the domain's, by pk
        statuses = {codes[row[INDICATOR]]: row[STATUS] for row in rows}
        mine = next((row for row in rows if row[INDICATOR] == indicator.pk), None)
        if mine is None:
            answer = Answer.objects.create(assessment=assessment, indicator=indicator)
        else:
            answer = Answer.from_db(Answer.objects.db, ANSWER_FIELDS, mine)
            answer.assessment = assessment
        answer.indicator = indicator
        comment = (comment or "").strip()
        if answer.status == status and answer.comment == comment:
            return SaveResult(answer, assessment, changed=False, overwrote_newer=False)
        now = timezone.now()
        stale = seen_revision is not None and seen_revision < answer.revision
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
                "source": source[:300],
            },
        )
        # The answer is ours under the assessment's lock: its revision cannot move meanwhile.
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


class StaleConfirmation(ValidationError):
    """The answers changed since the confirmation page was shown: what it listed is no longer true."""


def answers_revision(assessment) -> int:
    """A number that grows with every change of the assessment's answers (the sum of their
    revisions, each bumped by every save): a confirmation page carries it, and the action is
    refused if it moved meanwhile."""
    if assessment is None or assessment.pk is None:
        return 0
    return Answer.objects.filter(assessment=assessment).aggregate(n=Sum("revision"))["n"] or 0


def unanswered_indicators(referential, assessment) -> list[Indicator]:
    """The referential's indicators without an answer, in the referential's order (domain, level, rank)."""
    answered = set()
    if assessment is not None:
        answered = set(
            Answer.objects.filter(assessment=assessment).exclude(status="").values_list("indicator_id", flat=True)
        )
    missing = [i for i in indicators_of(referential).values() if i.pk not in answered]
    return sorted(missing, key=lambda i: (i.domain.position, i.level, i.position))


def changed_since_ready(assessment) -> bool:
    """An answer changed after someone said the self-assessment was ready to validate."""
    if assessment is None or assessment.ready_at is None:
        return False
    return AnswerChange.objects.filter(answer__assessment=assessment, changed_at__gt=assessment.ready_at).exists()


@transaction.atomic
def validate_assessment(assessment, *, by, request=None, seen_revision=None) -> Assessment:
    """Freezes the answers. `seen_revision`: the `answers_revision` the confirmation page showed;
    if the answers changed since, nothing is validated (StaleConfirmation)."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",)).select_related("campaign", "school").get(pk=assessment.pk)
    )
    if assessment.state == AssessmentState.VALIDATED:
        raise ValidationError(_("Cet autodiagnostic est déjà validé."))
    _ensure_campaign_open(assessment.campaign)
    if seen_revision is not None and seen_revision != answers_revision(assessment):
        raise StaleConfirmation(
            _(
                "Des réponses ont changé depuis l’affichage de cette page : rien n’a été validé. "
                "Vérifiez ce qui reste à renseigner, puis confirmez à nouveau."
            )
        )
    now = timezone.now()
    ready = (
        {"ready_by": assessment.ready_by_label, "ready_at": assessment.ready_at.isoformat()}
        if assessment.ready_at
        else {}
    )
    assessment.state = AssessmentState.VALIDATED
    assessment.validated_by = by
    assessment.validated_by_label = by.get_full_name() or by.get_username()
    assessment.validated_at = now
    assessment.last_activity_at = now
    # Validating answers the « prêt à valider » signal.
    assessment.ready_by, assessment.ready_by_label, assessment.ready_at = None, "", None
    assessment.save(
        update_fields=[
            "state",
            "validated_by",
            "validated_by_label",
            "validated_at",
            "last_activity_at",
            "ready_by",
            "ready_by_label",
            "ready_at",
        ]
    )
    tallies.validation_changed(assessment, assessment.school, +1)
    audit.record(
        AuditAction.ASSESSMENT_VALIDATED,
        actor=by,
        obj=assessment,
        before={"state": AssessmentState.DRAFT, **ready},
        after={"state": AssessmentState.VALIDATED, "validated_by": assessment.validated_by_label},
        request=request,
    )
    return assessment


def direction_addresses(school) -> list[str]:
    """The e-mail addresses of the school's direction (chef and adjoints with an active account)."""
    return list(
        dict.fromkeys(
            SchoolMembership.objects.filter(school=school, role__in=SchoolRole.direction(), user__is_active=True)
            .exclude(user__email="")
            .order_by("role", "user__email")
            .values_list("user__email", flat=True)
        )
    )


def _school_url(assessment) -> str:
    path = reverse("assessments:home", args=[assessment.school.uai, assessment.campaign.school_year])
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def signal_ready(assessment, *, by, request=None) -> Assessment:
    """« Prêt à valider »: records who told the direction, and when, and e-mails the direction on
    commit. Signalling again replaces the previous signal."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign__referential", "school")
        .get(pk=assessment.pk)
    )
    _ensure_writable(assessment)
    before = (
        {"ready_by": assessment.ready_by_label, "ready_at": assessment.ready_at.isoformat()}
        if assessment.ready_at
        else {}
    )
    assessment.ready_by = by
    assessment.ready_by_label = (by.get_full_name() or by.get_username())[:200]
    assessment.ready_at = timezone.now()
    assessment.save(update_fields=["ready_by", "ready_by_label", "ready_at"])
    audit.record(
        AuditAction.ASSESSMENT_READY,
        actor=by,
        obj=assessment,
        before=before,
        after={"ready_by": assessment.ready_by_label, "answered": assessment.answered_count},
        request=request,
    )
    recipients = direction_addresses(assessment.school)
    context = {
        "assessment": assessment,
        "school": assessment.school,
        "year": assessment.campaign.school_year,
        "by_name": assessment.ready_by_label,
        "answered": assessment.answered_count,
        "total": len(indicators_of(assessment.campaign.referential)),
        "url": _school_url(assessment),
    }
    if recipients:
        subject = _("Pilotis : l’autodiagnostic SCHÉMATIC %(year)s est prêt à valider") % {"year": context["year"]}
        body = render_to_string("assessments/emails/ready.txt", context)
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return assessment


@transaction.atomic
def reopen_assessment(assessment, *, by, request=None) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update(of=("self",)).select_related("campaign", "school").get(pk=assessment.pk)
    )
    if assessment.state != AssessmentState.VALIDATED:
        raise ValidationError(_("Cet autodiagnostic n'est pas validé."))
    _ensure_campaign_open(assessment.campaign)
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


def code_translation(old_version, new_version) -> dict[str, str]:
    """Old indicator code → new one, following the versions' code maps (same code if kept); codes
    that have no place in the new version are left out. Carries answers over (start_from_previous)
    and an action plan's indicators to a later campaign."""
    new_codes = set(Indicator.objects.filter(version=new_version).values_list("code", flat=True))
    if old_version.pk == new_version.pk:
        return {code: code for code in new_codes}
    chain, version = [], new_version
    while version is not None and version.pk != old_version.pk:
        chain.append(version)
        version = version.supersedes
    if version is None:  # not an earlier version of the same line: its codes are matched as they are
        chain = []
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
    translation = code_translation(source.campaign.referential, campaign.referential)
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
    AnswerChange.objects.bulk_create(
        AnswerChange(
            answer=answer,
            changed_by=by,
            changed_by_label=str(by)[:200] if by else "",
            changed_at=now,
            status_before=answer.status,
            status_after=answer.status,
            comment_before=answer.comment,
            comment_after=answer.comment,
            based_on_revision=answer.revision,
            kind=AnswerChangeKind.CONFIRMED,
        )
        for answer in answers
    )
    Answer.objects.filter(pk__in=[answer.pk for answer in answers]).update(to_check=False, revision=F("revision") + 1)
    return len(answers)


def shown_at(answer, revision: int) -> tuple[str, str]:
    """(status, comment) of an answer as it stood at `revision` (0: not answered yet), read from
    its history, whose n-th row is revision n."""
    if answer is None or revision <= 0:
        return "", ""
    rows = list(AnswerChange.objects.filter(answer=answer).order_by("id").values_list("status_after", "comment_after"))
    return rows[revision - 1] if revision <= len(rows) else (answer.status, answer.comment)
