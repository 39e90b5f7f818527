"""Writes of the RUPN's mission: each in a transaction, with its audit row.

Concurrency: a letter carries a `revision`. Every write — an edit of its content or a move of its
workflow — locks the row, checks the revision the author's page showed and bumps it, so a stale
page (the RUPN accepting a letter the direction changed meanwhile, two tabs of the direction) is
refused with a message instead of acting on a text its author did not see. On SQLite the
IMMEDIATE transactions of the settings serialise writers, on PostgreSQL `select_for_update`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts import services as accounts_services
from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.assessments.models import Campaign
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.missions.enums import LetterState
from pilotis.missions.models import CatalogueEntry, Designation, LetterMission, MissionLetter
from pilotis.missions.perms import can_manage_mission, is_designated
from pilotis.referential.models import Indicator


class StaleLetter(ValidationError):
    """The letter changed since the author's page was loaded."""


def school_year_bounds(school_year: str) -> tuple[datetime.date, datetime.date]:
    start = int(school_year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def imp_rates() -> list[Decimal]:
    return [Decimal(rate) for rate in settings.IMP_RATES]


def _check_period(school_year, starts_on, ends_on):
    first, last = school_year_bounds(school_year)
    if starts_on > ends_on:
        raise ValidationError(_("La fin de la désignation doit suivre son début."))
    if starts_on < first or ends_on > last:
        raise ValidationError(
            _("La période doit tenir dans l'année scolaire %(year)s (du %(first)s au %(last)s).")
            % {"year": school_year, "first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}
        )


def _check_imp(amount):
    if amount not in imp_rates():
        raise ValidationError(_("Ce montant n'est pas un taux annuel de l'IMP."))


def _designation_state(designation) -> dict:
    return {
        "user": designation.user.username,
        "school": designation.school.uai,
        "year": designation.school_year,
        "starts_on": designation.starts_on.isoformat(),
        "ends_on": designation.ends_on.isoformat(),
    }


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _notify(subject, template, recipients, context):
    recipients = [address for address in recipients if address]
    if recipients:
        send_mail(subject, render_to_string(template, context), None, recipients)


# --- Designation ----------------------------------------------------------------------------------


@transaction.atomic
def designate(
    school,
    *,
    school_year,
    starts_on,
    ends_on,
    imp_amount,
    by,
    user=None,
    email="",
    first_name="",
    last_name="",
    request=None,
) -> Designation:
    """Designates a member of the school as RUPN for the year (or invites one by e-mail); their role
    in the school becomes RUPN, which lets them fill in the self-assessment."""
    _require(can_manage_mission(by, school))
    _check_period(school_year, starts_on, ends_on)
    _check_imp(imp_amount)
    if user is None and not email:
        raise ValidationError(_("Choisissez un membre de l'équipe ou donnez l'adresse d'une personne à inviter."))
    if user is None:
        # Not created here: invite_member creates the account itself, so that its e-mail carries the
        # link to choose a password (an account it finds gets "sign in as usual").
        user = get_user_model().objects.filter(email__iexact=email).first()
    membership = SchoolMembership.objects.filter(user=user, school=school).first() if user else None
    if membership is not None and membership.role in SchoolRole.direction():
        raise ValidationError(_("Un membre de l'équipe de direction ne peut pas être désigné RUPN."))
    if user and Designation.objects.filter(school=school, user=user, school_year=school_year).exists():
        raise ValidationError(_("Cette personne est déjà désignée RUPN pour cette année scolaire."))
    if membership is None:
        membership = accounts_services.invite_member(
            school,
            email=user.email if user else email,
            role=SchoolRole.RUPN,
            first_name=first_name,
            last_name=last_name,
            by=by,
            request=request,
        )
        user = membership.user
    elif membership.role != SchoolRole.RUPN:
        accounts_services.change_member_role(membership, role=SchoolRole.RUPN, by=by, request=request)
    designation = Designation.objects.create(
        school=school,
        user=user,
        user_label=str(user)[:200],
        school_year=school_year,
        starts_on=starts_on,
        ends_on=ends_on,
        imp_amount=imp_amount,
        created_by=by,
    )
    audit.record(
        AuditAction.RUPN_DESIGNATED, actor=by, obj=designation, after=_designation_state(designation), request=request
    )
    audit.record(
        AuditAction.IMP_CHANGED,
        actor=by,
        obj=designation,
        before=None,
        after={"imp": str(imp_amount)},
        request=request,
    )
    return designation


def _locked_designation(designation) -> Designation:
    return Designation.objects.select_for_update(of=("self",)).select_related("school", "user").get(pk=designation.pk)


@transaction.atomic
def change_designation(designation, *, starts_on, ends_on, imp_amount, by, request=None) -> Designation:
    """Changes the period or the IMP; every change of the amount is journaled (scorecard check 19).
    A letter not yet signed states the new terms; one the RUPN was asked to accept, or had accepted,
    goes back to draft: the RUPN never agreed to these terms. A signed letter keeps its own."""
    designation = _locked_designation(designation)
    _require(can_manage_mission(by, designation.school))
    _check_period(designation.school_year, starts_on, ends_on)
    _check_imp(imp_amount)
    before = _designation_state(designation)
    old_imp = designation.imp_amount
    designation.starts_on, designation.ends_on, designation.imp_amount = starts_on, ends_on, imp_amount
    designation.save(update_fields=["starts_on", "ends_on", "imp_amount"])
    after = _designation_state(designation)
    if after != before:
        audit.record(
            AuditAction.DESIGNATION_CHANGED, actor=by, obj=designation, before=before, after=after, request=request
        )
    if old_imp != imp_amount:
        audit.record(
            AuditAction.IMP_CHANGED,
            actor=by,
            obj=designation,
            before={"imp": str(old_imp)},
            after={"imp": str(imp_amount)},
            request=request,
        )
    if after != before or old_imp != imp_amount:
        _letters_follow(designation, by=by, request=request)
    return designation


def _letters_follow(designation, *, by, request):
    """The designation's open letter takes its new terms; a proposed or accepted one goes back to draft."""
    open_letters = MissionLetter.objects.select_for_update(of=("self",)).filter(
        designation=designation, state__in=LetterState.open()
    )
    for letter in open_letters:
        letter.designation = designation  # in hand: the audit row's label reads it
        _take_terms(letter, designation)
        fields = ["imp_amount", "starts_on", "ends_on"]
        was = letter.state
        if was in {LetterState.PROPOSED, LetterState.ACCEPTED}:
            letter.state = LetterState.DRAFT
            letter.accepted_at, letter.accepted_by, letter.accepted_by_label = None, None, ""
            letter.designation_changed_at = timezone.now()
            fields += ["state", "accepted_at", "accepted_by", "accepted_by_label", "designation_changed_at"]
        _bump(letter, *fields)
        if letter.state != was:
            audit.record(
                AuditAction.LETTER_WITHDRAWN,
                actor=by,
                obj=letter,
                before={"state": was},
                after={"state": letter.state, "reason": "designation_changed"},
                request=request,
            )


@transaction.atomic
def end_designation(designation, *, on, by, request=None) -> Designation:
    """Ends a designation during the year. Once it has ended, the person goes back to being a member of
    the team, unless another designation of theirs in the school is still running."""
    designation = _locked_designation(designation)
    _require(can_manage_mission(by, designation.school))
    if on < designation.starts_on or on > designation.ends_on:
        raise ValidationError(
            _("La date de fin doit être comprise entre le %(start)s et le %(end)s.")
            % {"start": designation.starts_on.strftime("%d/%m/%Y"), "end": designation.ends_on.strftime("%d/%m/%Y")}
        )
    if on > timezone.localdate():
        raise ValidationError(_("La date de fin ne peut pas être dans le futur : modifiez plutôt la période."))
    before = _designation_state(designation)
    designation.ends_on, designation.ended_early = on, True
    designation.save(update_fields=["ends_on", "ended_early"])
    audit.record(
        AuditAction.DESIGNATION_ENDED,
        actor=by,
        obj=designation,
        before=before,
        after=_designation_state(designation),
        request=request,
    )
    today = timezone.localdate()
    still_designated = (
        Designation.objects.filter(school=designation.school, user=designation.user, ends_on__gte=today)
        .exclude(pk=designation.pk)
        .exists()
    )
    membership = SchoolMembership.objects.filter(user=designation.user, school=designation.school).first()
    if membership is not None and membership.role == SchoolRole.RUPN and not still_designated:
        accounts_services.change_member_role(membership, role=SchoolRole.MEMBRE, by=by, request=request)
    return designation


# --- Letters: content ----------------------------------------------------------------------------


def _locked_letter(letter, seen_revision) -> MissionLetter:
    letter = (
        MissionLetter.objects.select_for_update(of=("self",))
        .select_related("designation__user", "school__department")
        .get(pk=letter.pk)
    )
    if seen_revision is not None and seen_revision != letter.revision:
        raise StaleLetter(
            _(
                "La lettre a été modifiée depuis l'affichage de cette page : rechargez-la et relisez-la "
                "avant de recommencer."
            )
        )
    return letter


def _bump(letter, *fields):
    letter.revision += 1
    letter.updated_at = timezone.now()
    letter.save(update_fields=["revision", "updated_at", *fields])


def _take_terms(letter, designation):
    """The IMP and the period the letter states: the designation's, while the letter is open."""
    letter.imp_amount = designation.imp_amount
    letter.starts_on, letter.ends_on = designation.starts_on, designation.ends_on


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
    designation = _locked_designation(designation)
    _require(can_manage_mission(by, designation.school))
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
    _take_terms(letter, designation)
    letter.save()
    if source is not None:
        _copy_content(source, letter, version_id=latest_referential_id(designation.school))
    return letter


@transaction.atomic
def supersede_letter(letter, *, by, seen_revision=None, request=None) -> MissionLetter:
    """A signed letter never changes: a new draft takes it over, and replaces it once signed."""
    letter = _locked_letter(letter, seen_revision)
    _require(can_manage_mission(by, letter.school))
    if letter.state != LetterState.SIGNED:
        raise ValidationError(_("Seule une lettre signée peut être remplacée."))
    _require_running(letter)
    if MissionLetter.objects.filter(designation=letter.designation, state__in=LetterState.open()).exists():
        raise ValidationError(_("Une nouvelle version de cette lettre est déjà en préparation."))
    draft = MissionLetter(
        school=letter.school, designation=letter.designation, supersedes=letter, started_from=letter, created_by=by
    )
    _take_terms(draft, letter.designation)
    draft.save()
    _copy_content(letter, draft)
    return draft


@transaction.atomic
def update_letter(letter, *, fields: dict, missions, indicators, seen_revision, by) -> MissionLetter:
    """Writes the letter's content: `missions` is a list of (catalogue entry, priority)."""
    letter = _locked_letter(letter, seen_revision)
    _require(can_manage_mission(by, letter.school))
    if letter.state not in LetterState.editable():
        raise ValidationError(
            _("Cette lettre n'est plus modifiable dans son état actuel (%(state)s).")
            % {"state": letter.get_state_display()}
        )
    for name, value in fields.items():
        setattr(letter, name, value)
    _take_terms(letter, letter.designation)
    _bump(letter, *fields, "imp_amount", "starts_on", "ends_on")
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
    letter = _locked_letter(letter, seen_revision)
    _require(can_manage_mission(by, letter.school))
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


# --- Letters: the workflow ------------------------------------------------------------------------


def _letter_url(letter) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("missions:letter", args=[letter.school.uai, letter.pk])


@transaction.atomic
def propose_letter(letter, *, by, seen_revision, request=None) -> MissionLetter:
    letter = _locked_letter(letter, seen_revision)
    _require(can_manage_mission(by, letter.school))
    if letter.state not in LetterState.editable():
        raise ValidationError(_("Cette lettre a déjà été proposée."))
    _require_running(letter)
    if not letter.missions.exists():
        raise ValidationError(_("Choisissez au moins une mission avant de proposer la lettre."))
    letter.state = LetterState.PROPOSED
    letter.proposed_at, letter.proposed_by = timezone.now(), by
    letter.designation_changed_at = None
    # The terms the RUPN is asked to accept, kept from now on (a change of them sends the letter back).
    _take_terms(letter, letter.designation)
    _bump(letter, "state", "proposed_at", "proposed_by", "designation_changed_at", "imp_amount", "starts_on", "ends_on")
    audit.record(AuditAction.LETTER_PROPOSED, actor=by, obj=letter, after={"state": letter.state}, request=request)
    context = {"letter": letter, "by": by, "url": _letter_url(letter)}
    recipient = letter.designation.user.email
    transaction.on_commit(
        lambda: _notify(
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
    letter = _locked_letter(letter, seen_revision)
    _require(can_manage_mission(by, letter.school))
    if letter.state not in {LetterState.PROPOSED, LetterState.ACCEPTED}:
        raise ValidationError(_("Cette lettre ne peut pas être reprise dans son état actuel."))
    letter.state = LetterState.DRAFT
    letter.accepted_at, letter.accepted_by, letter.accepted_by_label = None, None, ""
    _bump(letter, "state", "accepted_at", "accepted_by", "accepted_by_label")
    audit.record(AuditAction.LETTER_WITHDRAWN, actor=by, obj=letter, after={"state": letter.state}, request=request)
    return letter


@transaction.atomic
def accept_letter(letter, *, by, seen_revision, request=None) -> MissionLetter:
    """Only the RUPN the letter names accepts it: nobody accepts in their place."""
    letter = _locked_letter(letter, seen_revision)
    _require(is_designated(by, letter.designation))
    if letter.state != LetterState.PROPOSED:
        raise ValidationError(_("Cette lettre n'attend pas votre acceptation."))
    _require_running(letter)
    letter.state = LetterState.ACCEPTED
    letter.accepted_at, letter.accepted_by, letter.accepted_by_label = timezone.now(), by, str(by)[:200]
    letter.returned_comment = ""
    _bump(letter, "state", "accepted_at", "accepted_by", "accepted_by_label", "returned_comment")
    audit.record(AuditAction.LETTER_ACCEPTED, actor=by, obj=letter, after={"state": letter.state}, request=request)
    _notify_proposer(letter, by, _("Pilotis : la lettre de mission a été acceptée par le RUPN"))
    return letter


@transaction.atomic
def send_back_letter(letter, *, by, comment, seen_revision, request=None) -> MissionLetter:
    """The RUPN sends the letter back to the direction, saying why."""
    letter = _locked_letter(letter, seen_revision)
    _require(is_designated(by, letter.designation))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Dites à la direction ce qui doit changer dans la lettre."))
    if letter.state != LetterState.PROPOSED:
        raise ValidationError(_("Cette lettre n'attend pas votre réponse."))
    letter.state, letter.returned_comment = LetterState.RETURNED, comment
    _bump(letter, "state", "returned_comment")
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
    transaction.on_commit(lambda: _notify(subject, "missions/emails/answered.txt", [recipient], context))


@transaction.atomic
def sign_letter(letter, *, by, seen_revision, request=None) -> MissionLetter:
    """The direction signs a letter the RUPN accepted; it replaces the letter it supersedes."""
    letter = _locked_letter(letter, seen_revision)
    _require(can_manage_mission(by, letter.school))
    if letter.state != LetterState.ACCEPTED:
        raise ValidationError(_("La lettre doit avoir été acceptée par le RUPN avant d'être signée."))
    _require_running(letter)
    letter.state = LetterState.SIGNED
    letter.signed_at, letter.signed_by, letter.signed_by_label = timezone.now(), by, str(by)[:200]
    letter.starts_on, letter.ends_on = letter.period  # a row written without its period keeps the one signed
    _bump(letter, "state", "signed_at", "signed_by", "signed_by_label", "starts_on", "ends_on")
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
    letter = _locked_letter(letter, seen_revision)
    _require(can_manage_mission(by, letter.school))
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
    _bump(letter, *fields)
    audit.record(
        AuditAction.LETTER_PRESENTED,
        actor=by,
        obj=letter,
        before={name: day and day.isoformat() for name, day in before.items()},
        after={name: day and day.isoformat() for name, day in fields.items()},
        request=request,
    )
    return letter


# --- The catalogue --------------------------------------------------------------------------------


@transaction.atomic
def add_catalogue_entry(academy, *, heading, function, text, by, request=None) -> CatalogueEntry:
    position = CatalogueEntry.objects.filter(heading=heading).count() + 100
    entry = CatalogueEntry.objects.create(
        academy=academy, heading=heading, function=function, text=text.strip(), position=position, created_by=by
    )
    audit.record(
        AuditAction.CATALOGUE_CHANGED, actor=by, obj=entry, after={"text": entry.text, "active": True}, request=request
    )
    return entry


@transaction.atomic
def change_catalogue_entry(entry, *, heading, function, text, is_active, by, request=None) -> CatalogueEntry:
    """Letters keep their own copy of a mission's text: changing the catalogue never alters a letter."""
    before = {"text": entry.text, "active": entry.is_active}
    entry.heading, entry.function, entry.text, entry.is_active = heading, function, text.strip(), is_active
    entry.save(update_fields=["heading", "function", "text", "is_active"])
    audit.record(
        AuditAction.CATALOGUE_CHANGED,
        actor=by,
        obj=entry,
        before=before,
        after={"text": entry.text, "active": entry.is_active},
        request=request,
    )
    return entry
