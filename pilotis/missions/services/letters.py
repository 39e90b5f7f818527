"""The lettre de mission: its content (start, supersede, update, delete a draft) and its workflow
(propose, withdraw, accept, send back, sign, record its presentations to the conseils)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.assessments.models import Campaign
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.missions.enums import LetterState
from pilotis.missions.models import LetterMission, MissionLetter
from pilotis.missions.perms import can_manage_mission, is_designated
from pilotis.missions.services.base import bump, locked_designation, locked_letter, notify, require, take_terms
from pilotis.referential.models import Indicator

# --- Content ----------------------------------------------------------------------------------------


def _require_running(letter):
    """A designation ended during the year takes no more letter: nobody proposes, accepts or signs one."""
    _require_designation_running(letter.designation)


def _require_designation_running(designation):
    if designation.ended_early:
        raise ValidationError(
            _(
                "La désignation de %(name)s a pris fin le %(day)s : sa lettre de mission ne peut plus être "
                "proposée, acceptée ni signée."
            )
            % {"name": designation.user_label, "day": designation.ends_on.strftime("%d/%m/%Y")}
        )


def _copy_content(source, target, *, version_id=None):
    """Copies a letter's missions, means and indicators (indicators carried to `version_id` by code)."""
    for field in (
        "means_time",
        "means_equipment",
        "means_room",
        "training",
        "pedagogical_council",
        "digital_commission",
        "free_text",
    ):
        setattr(target, field, getattr(source, field))
    target.save()
    LetterMission.objects.bulk_create(
        LetterMission(
            letter=target,
            entry_id=m.entry_id,
            heading=m.heading,
            function=m.function,
            text=m.text,
            priority=m.priority,
            position=m.position,
        )
        for m in source.missions.all()
    )
    indicators = source.indicators.all()
    if version_id is not None:
        codes = [i.code for i in indicators]
        indicators = Indicator.objects.filter(version_id=version_id, code__in=codes)
    target.indicators.set(indicators)


def latest_referential_id(school):
    """The referential of the school's latest campaign: the indicators a letter names come from it."""
    campaign = Campaign.objects.filter(academy_id=school.department.academy_id).order_by("-school_year").first()
    return campaign.referential_id if campaign else None


@transaction.atomic
def start_letter(designation, *, by, request=None) -> MissionLetter:
    """A new draft for the designation; it starts from the school's latest signed letter of an earlier
    year (that person's if there is one), so next year's letter begins as this year's."""
    designation = locked_designation(designation)
    require(can_manage_mission(by, designation.school))
    existing = MissionLetter.objects.filter(designation=designation, state__in=LetterState.open()).first()
    if existing is not None:
        return existing
    _require_designation_running(designation)  # a draft nobody could ever propose is no use
    previous = (
        MissionLetter.objects.filter(
            school=designation.school,
            state__in=LetterState.final(),
            designation__school_year__lt=designation.school_year,
        )
        .order_by("-designation__school_year", "-signed_at")
        .select_related("designation")
    )
    source = previous.filter(designation__user=designation.user).first() or previous.first()
    letter = MissionLetter(school=designation.school, designation=designation, started_from=source, created_by=by)
    take_terms(letter, designation)
    letter.save()
    if source is not None:
        _copy_content(source, letter, version_id=latest_referential_id(designation.school))
    return letter


@transaction.atomic
def supersede_letter(letter, *, by, seen_revision=None, request=None) -> MissionLetter:
    """A signed letter never changes: a new draft takes it over, and replaces it once signed."""
    letter = locked_letter(letter, seen_revision)
    require(can_manage_mission(by, letter.school))
    if letter.state != LetterState.SIGNED:
        raise ValidationError(_("Seule une lettre signée peut être remplacée."))
    _require_running(letter)
    if MissionLetter.objects.filter(designation=letter.designation, state__in=LetterState.open()).exists():
        raise ValidationError(_("Une nouvelle version de cette lettre est déjà en préparation."))
    draft = MissionLetter(
        school=letter.school, designation=letter.designation, supersedes=letter, started_from=letter, created_by=by
    )
    take_terms(draft, letter.designation)
    draft.save()
    _copy_content(letter, draft)
    return draft


@transaction.atomic
def update_letter(letter, *, fields: dict, missions, indicators, seen_revision, by) -> MissionLetter:
    """Writes the letter's content: `missions` is a list of (catalogue entry, priority)."""
    letter = locked_letter(letter, seen_revision)
    require(can_manage_mission(by, letter.school))
    if letter.state not in LetterState.editable():
        raise ValidationError(
            _("Cette lettre n'est plus modifiable dans son état actuel (%(state)s).")
            % {"state": letter.get_state_display()}
        )
    for name, value in fields.items():
        setattr(letter, name, value)
    take_terms(letter, letter.designation)
    bump(letter, *fields, "imp_amount", "starts_on", "ends_on")
    letter.missions.all().delete()
    LetterMission.objects.bulk_create(
        LetterMission(
            letter=letter,
            entry=entry,
            heading=entry.heading,
            function=entry.function,
            text=entry.text,
            priority=priority,
            position=position,
        )
        for position, (entry, priority) in enumerate(missions)
    )
    letter.indicators.set(indicators)
    return letter


@transaction.atomic
def delete_letter(letter, *, by, seen_revision, request=None) -> None:
    """A draft nobody was asked to accept may be thrown away; a letter proposed, accepted or signed
    stays: it is the school's history. The audit row keeps what the draft said."""
    letter = locked_letter(letter, seen_revision)
    require(can_manage_mission(by, letter.school))
    if letter.state != LetterState.DRAFT:
        raise ValidationError(
            _("Seul un brouillon peut être supprimé ; cette lettre est « %(state)s ».")
            % {"state": letter.get_state_display()}
        )
    audit.record(
        AuditAction.LETTER_DELETED,
        actor=by,
        obj=letter,
        before={
            "state": letter.state,
            "designation": letter.designation_id,
            "missions": list(letter.missions.values_list("text", flat=True)),
            "indicators": sorted(letter.indicators.values_list("code", flat=True)),
        },
        request=request,
    )
    letter.delete()


# --- Workflow ------------------------------------------------------------------------------------------


def _letter_url(letter) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("missions:letter", args=[letter.school.uai, letter.pk])


@transaction.atomic
def propose_letter(letter, *, by, seen_revision, request=None) -> MissionLetter:
    letter = locked_letter(letter, seen_revision)
    require(can_manage_mission(by, letter.school))
    if letter.state not in LetterState.editable():
        raise ValidationError(_("Cette lettre a déjà été proposée."))
    _require_running(letter)
    if not letter.missions.exists():
        raise ValidationError(_("Choisissez au moins une mission avant de proposer la lettre."))
    letter.state = LetterState.PROPOSED
    letter.proposed_at, letter.proposed_by = timezone.now(), by
    letter.designation_changed_at = None
    # The terms the RUPN is asked to accept, kept from now on (a change of them sends the letter back).
    take_terms(letter, letter.designation)
    bump(letter, "state", "proposed_at", "proposed_by", "designation_changed_at", "imp_amount", "starts_on", "ends_on")
    audit.record(AuditAction.LETTER_PROPOSED, actor=by, obj=letter, after={"state": letter.state}, request=request)
    context = {"letter": letter, "by": by, "url": _letter_url(letter)}
    recipient = letter.designation.user.email
    transaction.on_commit(
        lambda: notify(
            _("Pilotis : votre lettre de mission de RUPN vous est proposée"),
            "missions/emails/proposed.txt",
            [recipient],
            context,
        )
    )
    return letter


@transaction.atomic
def withdraw_letter(letter, *, by, seen_revision, request=None) -> MissionLetter:
    """The direction takes a proposed (or accepted, not yet signed) letter back to change it."""
    letter = locked_letter(letter, seen_revision)
    require(can_manage_mission(by, letter.school))
    if letter.state not in {LetterState.PROPOSED, LetterState.ACCEPTED}:
        raise ValidationError(_("Cette lettre ne peut pas être reprise dans son état actuel."))
    letter.state = LetterState.DRAFT
    letter.accepted_at, letter.accepted_by, letter.accepted_by_label = None, None, ""
    bump(letter, "state", "accepted_at", "accepted_by", "accepted_by_label")
    audit.record(AuditAction.LETTER_WITHDRAWN, actor=by, obj=letter, after={"state": letter.state}, request=request)
    return letter


@transaction.atomic
def accept_letter(letter, *, by, seen_revision, request=None) -> MissionLetter:
    """Only the RUPN the letter names accepts it: nobody accepts in their place."""
    letter = locked_letter(letter, seen_revision)
    require(is_designated(by, letter.designation))
    if letter.state != LetterState.PROPOSED:
        raise ValidationError(_("Cette lettre n'attend pas votre acceptation."))
    _require_running(letter)
    letter.state = LetterState.ACCEPTED
    letter.accepted_at, letter.accepted_by, letter.accepted_by_label = timezone.now(), by, str(by)[:200]
    letter.returned_comment = ""
    bump(letter, "state", "accepted_at", "accepted_by", "accepted_by_label", "returned_comment")
    audit.record(AuditAction.LETTER_ACCEPTED, actor=by, obj=letter, after={"state": letter.state}, request=request)
    _notify_proposer(letter, by, _("Pilotis : la lettre de mission a été acceptée par le RUPN"))
    return letter


@transaction.atomic
def send_back_letter(letter, *, by, comment, seen_revision, request=None) -> MissionLetter:
    """The RUPN sends the letter back to the direction, saying why."""
    letter = locked_letter(letter, seen_revision)
    require(is_designated(by, letter.designation))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Dites à la direction ce qui doit changer dans la lettre."))
    if letter.state != LetterState.PROPOSED:
        raise ValidationError(_("Cette lettre n'attend pas votre réponse."))
    letter.state, letter.returned_comment = LetterState.RETURNED, comment
    bump(letter, "state", "returned_comment")
    audit.record(
        AuditAction.LETTER_RETURNED,
        actor=by,
        obj=letter,
        after={"state": letter.state, "comment": comment[:500]},
        request=request,
    )
    _notify_proposer(letter, by, _("Pilotis : la lettre de mission vous est renvoyée par le RUPN"))
    return letter


def _notify_proposer(letter, by, subject):
    recipient = letter.proposed_by.email if letter.proposed_by else ""
    context = {"letter": letter, "by": by, "url": _letter_url(letter)}
    transaction.on_commit(lambda: notify(subject, "missions/emails/answered.txt", [recipient], context))


@transaction.atomic
def sign_letter(letter, *, by, seen_revision, request=None) -> MissionLetter:
    """The direction signs a letter the RUPN accepted; it replaces the letter it supersedes."""
    letter = locked_letter(letter, seen_revision)
    require(can_manage_mission(by, letter.school))
    if letter.state != LetterState.ACCEPTED:
        raise ValidationError(_("La lettre doit avoir été acceptée par le RUPN avant d'être signée."))
    _require_running(letter)
    letter.state = LetterState.SIGNED
    letter.signed_at, letter.signed_by, letter.signed_by_label = timezone.now(), by, str(by)[:200]
    letter.starts_on, letter.ends_on = letter.period  # a row written without its period keeps the one signed
    bump(letter, "state", "signed_at", "signed_by", "signed_by_label", "starts_on", "ends_on")
    if letter.supersedes_id:
        MissionLetter.objects.filter(pk=letter.supersedes_id, state=LetterState.SIGNED).update(
            state=LetterState.SUPERSEDED, revision=F("revision") + 1
        )
    audit.record(
        AuditAction.LETTER_SIGNED,
        actor=by,
        obj=letter,
        after={
            "state": letter.state,
            "accepted_by": letter.accepted_by_label,
            "imp": str(letter.imp_amount),
            "starts_on": letter.starts_on.isoformat(),
            "ends_on": letter.ends_on.isoformat(),
        },
        request=request,
    )
    return letter


@transaction.atomic
def record_presentations(letter, *, pedagogical_council_on, board_on, by, seen_revision, request=None):
    """The dates the signed letter was presented to the conseil pédagogique and to the conseil
    d'administration: the only thing that may still be written on a signed letter. A date may be
    corrected, never cleared: the letter was presented."""
    letter = locked_letter(letter, seen_revision)
    require(can_manage_mission(by, letter.school))
    if letter.state != LetterState.SIGNED:
        raise ValidationError(_("Seule une lettre signée est présentée aux conseils."))
    signed_on = timezone.localdate(letter.signed_at)
    for day in (pedagogical_council_on, board_on):
        if day is not None and day < signed_on:
            raise ValidationError(
                _("Une présentation ne peut pas précéder la signature (%(day)s).")
                % {"day": signed_on.strftime("%d/%m/%Y")}
            )
    fields = {"presented_pedagogical_council_on": pedagogical_council_on, "presented_board_on": board_on}
    before = {name: getattr(letter, name) for name in fields}
    if any(before[name] is not None and fields[name] is None for name in fields):
        raise ValidationError(_("Une date de présentation enregistrée peut être corrigée, mais pas effacée."))
    if fields == before:
        return letter
    for name, value in fields.items():
        setattr(letter, name, value)
    bump(letter, *fields)
    audit.record(
        AuditAction.LETTER_PRESENTED,
        actor=by,
        obj=letter,
        before={name: day and day.isoformat() for name, day in before.items()},
        after={name: day and day.isoformat() for name, day in fields.items()},
        request=request,
    )
    return letter
