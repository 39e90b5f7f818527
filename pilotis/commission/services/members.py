"""The commission's members: added, changed, removed, each write audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.commission.enums import MemberGroup
from pilotis.commission.models import Attendance, CommissionMember
from pilotis.commission.perms import can_run_commission
from pilotis.commission.services._common import (
    require,
)
from pilotis.core import audit, formats
from pilotis.core.enums import AuditAction

# --- Members ----------------------------------------------------------------------------------------


def _check_period(from_date, to_date):
    if from_date is None:
        raise ValidationError(_("Indiquez la date d'entrée dans la commission."))
    if to_date is not None and to_date < from_date:
        raise ValidationError(_("La date de fin doit suivre la date d'entrée dans la commission."))


def _member_values(member) -> dict:
    return {
        "name": member.name,
        "group": member.group,
        "from": formats.day(member.from_date),
        "to": formats.day(member.to_date) if member.to_date else "",
        "account": bool(member.user_id),
    }


def add_member(school, *, by, group, from_date, to_date=None, user=None, name="", email="") -> CommissionMember:
    """A person of the school with an account (`user`: their name and address are the account's), or
    someone without one (`name`, an optional `email`)."""
    require(can_run_commission(by, school))
    if group not in MemberGroup.values:
        raise ValidationError(_("Choisissez le collège du membre."))
    _check_period(from_date, to_date)
    if user is not None:
        if not SchoolMembership.objects.filter(user=user, school=school).exists():
            raise ValidationError(_("Cette personne n'est pas membre de l'établissement."))
        name, email = str(user)[:200], ""
    elif not name.strip():
        raise ValidationError(_("Indiquez le nom du membre."))
    with transaction.atomic():
        member = CommissionMember.objects.create(
            school=school,
            user=user,
            name=name.strip(),
            email=email,
            group=group,
            from_date=from_date,
            to_date=to_date,
            created_by=by,
        )
        audit.record(AuditAction.COMMISSION_CHANGED, actor=by, obj=member, after=_member_values(member))
    return member


def change_member(member, *, by, group, from_date, to_date=None, name=None, email=None) -> CommissionMember:
    """Its group and its period; ending a membership is giving it an end date. A member with an
    account keeps the account's name and address."""
    require(can_run_commission(by, member.school))
    if group not in MemberGroup.values:
        raise ValidationError(_("Choisissez le collège du membre."))
    _check_period(from_date, to_date)
    if member.user_id is None and name is not None and not name.strip():
        raise ValidationError(_("Indiquez le nom du membre."))
    with transaction.atomic():
        before = _member_values(member)
        member.group, member.from_date, member.to_date = group, from_date, to_date
        if member.user_id is None:
            if name is not None:
                member.name = name.strip()
            if email is not None:
                member.email = email
        member.save()
        audit.record(AuditAction.COMMISSION_CHANGED, actor=by, obj=member, before=before, after=_member_values(member))
    return member


def delete_member(member, *, by) -> None:
    """Only a member who attended no meeting: the others keep their place in the minutes (end their
    membership instead)."""
    require(can_run_commission(by, member.school))
    with transaction.atomic():
        if Attendance.objects.filter(member=member).exists():
            raise ValidationError(
                _(
                    "%(name)s figure dans les présences d'une réunion : on ne peut pas le retirer de la commission, "
                    "mais on peut indiquer la fin de sa participation."
                )
                % {"name": member.name}
            )
        audit.record(AuditAction.COMMISSION_CHANGED, actor=by, obj=member, before=_member_values(member))
        member.delete()


def member_email(member) -> str:
    """The account's address for a member with an account, their own otherwise."""
    return (member.user.email if member.user_id else member.email) or ""
