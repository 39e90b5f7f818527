"""The person's changes to self-assessments, for the download of their data (core.personal_data)."""

from django.utils.translation import gettext as _

from pilotis.assessments.enums import AnswerStatus
from pilotis.assessments.models import AnswerChange, Assessment
from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when


def _status(code) -> str:
    return AnswerStatus(code).label if code else _("sans réponse")


@section("answer_changes", lambda: _("Autodiagnostics SCHÉMATIC : vos réponses et commentaires"), 40)
def answer_changes(user) -> list[dict]:
    changes = (
        AnswerChange.objects.filter(changed_by=user)
        .select_related("answer__assessment__school", "answer__assessment__campaign", "answer__indicator")
        .order_by("changed_at", "pk")
    )
    return [
        {
            _("date"): when(c.changed_at),
            _("établissement"): c.answer.assessment.school.name,
            _("année scolaire"): c.answer.assessment.campaign.school_year,
            _("indicateur"): c.answer.indicator.code,
            _("réponse avant"): _status(c.status_before),
            _("réponse après"): _status(c.status_after),
            _("commentaire avant"): c.comment_before,
            _("commentaire après"): c.comment_after,
        }
        for c in changes
    ]


@section("validations", lambda: _("Autodiagnostics SCHÉMATIC validés par vous"), 41)
def validations(user) -> list[dict]:
    return [
        {
            _("établissement"): a.school.name,
            _("année scolaire"): a.campaign.school_year,
            _("validé le"): when(a.validated_at),
        }
        for a in Assessment.objects.filter(validated_by=user).select_related("school", "campaign").order_by("pk")
    ]


@section("ready_signals", lambda: _("Autodiagnostics SCHÉMATIC signalés prêts à valider par vous"), 42)
def ready_signals(user) -> list[dict]:
    return [
        {
            _("établissement"): a.school.name,
            _("année scolaire"): a.campaign.school_year,
            _("signalé prêt à valider le"): when(a.ready_at),
        }
        for a in Assessment.objects.filter(ready_by=user).select_related("school", "campaign").order_by("pk")
    ]


@anonymiser("assessments")
def forget(user) -> None:
    AnswerChange.objects.filter(changed_by=user).update(changed_by_label=str(ANONYMOUS_LABEL))
    Assessment.objects.filter(validated_by=user).update(validated_by_label=str(ANONYMOUS_LABEL))
    Assessment.objects.filter(ready_by=user).update(ready_by_label=str(ANONYMOUS_LABEL))
