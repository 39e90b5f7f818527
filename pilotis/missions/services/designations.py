"""Designating the RUPN of a school for a year, changing the designation's terms, ending it early."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts import services as accounts_services
from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership
from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.missions.enums import LetterState
from pilotis.missions.models import Designation, MissionLetter
from pilotis.missions.perms import can_manage_mission
from pilotis.missions.services.base import (
    bump,
    imp_rates,
    locked_designation,
    require,
    school_year_bounds,
    take_terms,
)


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
    require(can_manage_mission(by, school))
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


@transaction.atomic
def change_designation(designation, *, starts_on, ends_on, imp_amount, by, request=None) -> Designation:
    """Changes the period or the IMP; every change of the amount is journaled (an `IMP_CHANGED` audit
    row, before → after). A letter not yet signed states the new terms; one the RUPN was asked to
    accept, or had accepted, goes back to draft: the RUPN never agreed to these terms. A signed letter
    keeps its own."""
    designation = locked_designation(designation)
    require(can_manage_mission(by, designation.school))
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
        take_terms(letter, designation)
        fields = ["imp_amount", "starts_on", "ends_on"]
        was = letter.state
        if was in {LetterState.PROPOSED, LetterState.ACCEPTED}:
            letter.state = LetterState.DRAFT
            letter.accepted_at, letter.accepted_by, letter.accepted_by_label = None, None, ""
            letter.designation_changed_at = timezone.now()
            fields += ["state", "accepted_at", "accepted_by", "accepted_by_label", "designation_changed_at"]
        bump(letter, *fields)
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
    designation = locked_designation(designation)
    require(can_manage_mission(by, designation.school))
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
