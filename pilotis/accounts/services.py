"""Every write about people and roles goes through here, in a transaction, with its audit row."""

import datetime
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import SchoolMembership, TerritoryRole, User
from pilotis.core import audit, personal_data
from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent


def _unique_username(email: str) -> str:
    User = get_user_model()
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower())[:140] or "utilisateur"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def get_or_invite_user(*, email: str, first_name: str = "", last_name: str = ""):
    """The account for this address, created without a password if it does not exist yet."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(username=_unique_username(email), email=email.lower(), first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    return user, True


def password_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("accounts:password_reset_confirm", args=[uid, token])


def _send_invitation(user, *, created: bool, place: str, role_label: str, by, reminder: bool = False) -> None:
    context = {
        "user": user,
        "created": created,
        "reminder": reminder,
        "place": place,
        "role": role_label,
        "by": by,
        "link": password_link(user) if created else settings.SITE_URL,
        "site_url": settings.SITE_URL,
    }
    subject = (
        _("Pilotis : rappel de votre invitation à %(place)s")
        if reminder
        else _("Pilotis : vous avez été ajouté(e) à %(place)s")
    )
    send_mail(
        subject=subject % {"place": place},
        message=render_to_string("accounts/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def person_label(user) -> str:
    """« Léa Nouvelle (lea.nouvelle@example.org) »: the name when known, the address beside it."""
    name = user.get_full_name()
    if name and user.email:
        return f"{name} ({user.email})"
    return name or user.email or user.username


# An invitation is sent again at most this often, whoever asks: a click repeated, or a page
# reloaded, does not flood the person's mailbox.
INVITATION_RESEND_INTERVAL = datetime.timedelta(minutes=15)


def invitation_pending(user) -> bool:
    """Invited and never signed in: the invitation is not accepted yet."""
    return user.last_login is None and user.is_active


def invitations_sent_at(memberships) -> dict[int, datetime.datetime]:
    """{membership id: when its invitation was last sent}: when the person was added, or re-sent since."""
    sent = {m.pk: m.created_at for m in memberships}
    resent = (
        AuditEvent.objects.filter(
            action=AuditAction.INVITATION_RESENT,
            object_type=SchoolMembership._meta.label_lower,
            object_id__in=[str(pk) for pk in sent],
        )
        .values_list("object_id", "created_at")
        .order_by("created_at")
    )
    for object_id, when in resent:
        sent[int(object_id)] = max(sent[int(object_id)], when)
    return sent


@transaction.atomic
def resend_invitation(membership, *, by, request=None, now=None) -> SchoolMembership:
    """E-mails the invitation again, with a new link to choose a password, to a member who has never
    signed in. Refused for an account in use, and within INVITATION_RESEND_INTERVAL of the last one."""
    now = now or timezone.now()
    membership = SchoolMembership.objects.select_for_update().select_related("user", "school").get(pk=membership.pk)
    user = membership.user
    if not invitation_pending(user):
        raise ValidationError(
            _("%(name)s s'est déjà connecté(e) à Pilotis : son invitation n'a pas à être renvoyée.")
            % {"name": person_label(user)}
        )
    last = invitations_sent_at([membership])[membership.pk]
    if now - last < INVITATION_RESEND_INTERVAL:
        minutes = int(INVITATION_RESEND_INTERVAL.total_seconds() // 60)
        raise ValidationError(
            _(
                "Une invitation a été envoyée à %(name)s il y a moins de %(minutes)s minutes : attendez un peu "
                "avant de la renvoyer."
            )
            % {"name": person_label(user), "minutes": minutes}
        )
    audit.record(
        AuditAction.INVITATION_RESENT,
        actor=by,
        obj=membership,
        after={"email": user.email, "school": membership.school.uai},
        request=request,
    )
    place, role = membership.school.name, membership.get_role_display()
    transaction.on_commit(
        lambda: _send_invitation(user, created=True, place=place, role_label=role, by=by, reminder=True)
    )
    return membership


# Higher apps say what removing a member means for what they hold (a designated RUPN's mission):
# each function takes the membership and returns `core.confirm.Link`s for the confirmation page.
removal_notes = []


def removal_note(function):
    removal_notes.append(function)
    return function


def removal_warnings(membership) -> list:
    return [link for note in removal_notes for link in note(membership)]


def _membership_state(membership) -> dict:
    return {"user": membership.user.username, "school": membership.school.uai, "role": membership.role}


def _direction_left_after(school, *, without: SchoolMembership) -> int:
    return (
        SchoolMembership.objects.filter(school=school, role__in=SchoolRole.direction()).exclude(pk=without.pk).count()
    )


@transaction.atomic
def invite_member(school, *, email, role, first_name="", last_name="", by, request=None) -> SchoolMembership:
    """Adds a person to the school (creating their account if needed) and e-mails them."""
    user, created = get_or_invite_user(email=email, first_name=first_name, last_name=last_name)
    if SchoolMembership.objects.filter(user=user, school=school).exists():
        raise ValidationError(_("Cette personne fait déjà partie de l'établissement."))
    membership = SchoolMembership.objects.create(user=user, school=school, role=role, created_by=by)
    if created:
        audit.record(AuditAction.USER_INVITED, actor=by, obj=user, after={"email": user.email}, request=request)
    audit.record(
        AuditAction.ROLE_GRANTED, actor=by, obj=membership, after=_membership_state(membership), request=request
    )
    transaction.on_commit(
        lambda: _send_invitation(
            user, created=created, place=school.name, role_label=membership.get_role_display(), by=by
        )
    )
    return membership


@transaction.atomic
def change_member_role(membership, *, role, by, request=None) -> SchoolMembership:
    membership = SchoolMembership.objects.select_for_update().select_related("user", "school").get(pk=membership.pk)
    if membership.role == role:
        return membership
    leaves_direction = membership.role in SchoolRole.direction() and role not in SchoolRole.direction()
    if leaves_direction and _direction_left_after(membership.school, without=membership) == 0:
        raise ValidationError(_("L'établissement doit garder au moins un membre de l'équipe de direction."))
    before = _membership_state(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        AuditAction.ROLE_CHANGED,
        actor=by,
        obj=membership,
        before=before,
        after=_membership_state(membership),
        request=request,
    )
    return membership


@transaction.atomic
def remove_member(membership, *, by, request=None) -> None:
    membership = SchoolMembership.objects.select_for_update().select_related("user", "school").get(pk=membership.pk)
    if membership.role in SchoolRole.direction() and _direction_left_after(membership.school, without=membership) == 0:
        raise ValidationError(_("L'établissement doit garder au moins un membre de l'équipe de direction."))
    audit.record(
        AuditAction.ROLE_REVOKED, actor=by, obj=membership, before=_membership_state(membership), request=request
    )
    membership.delete()


def _territory_state(role) -> dict:
    return {
        "user": role.user.username,
        "kind": role.kind,
        "department": role.department.code if role.department_id else None,
        "academy": role.academy.code if role.academy_id else None,
    }


@transaction.atomic
def grant_territory_role(*, email, kind, department=None, academy=None, first_name="", last_name="", by, request=None):
    user, created = get_or_invite_user(email=email, first_name=first_name, last_name=last_name)
    exists = TerritoryRole.objects.filter(user=user, department=department, academy=academy)
    if exists.exists():
        raise ValidationError(_("Cette personne a déjà ce rôle sur ce territoire."))
    role = TerritoryRole.objects.create(user=user, kind=kind, department=department, academy=academy, created_by=by)
    if created:
        audit.record(AuditAction.USER_INVITED, actor=by, obj=user, after={"email": user.email}, request=request)
    audit.record(AuditAction.ROLE_GRANTED, actor=by, obj=role, after=_territory_state(role), request=request)
    place = str(role.territory)
    transaction.on_commit(
        lambda: _send_invitation(user, created=created, place=place, role_label=role.get_kind_display(), by=by)
    )
    return role


@transaction.atomic
def revoke_territory_role(role, *, by, request=None) -> None:
    audit.record(AuditAction.ROLE_REVOKED, actor=by, obj=role, before=_territory_state(role), request=request)
    role.delete()


def end_sessions(user) -> int:
    """Deletes every open session of the user (deactivation, or a security incident)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def deactivate_user(user, *, by, request=None) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        AuditAction.USER_DEACTIVATED,
        actor=by,
        obj=user,
        before={"is_active": True},
        after={"is_active": False},
        request=request,
    )
    transaction.on_commit(lambda: end_sessions(user))


# --- Unused accounts: a notice, then anonymisation ------------------------------------------------


ANONYMOUS_PREFIX = "anonyme-"


def inactive_users(now=None):
    """Accounts nobody has signed in to for ACCOUNT_INACTIVITY_DAYS (administrators aside: the
    operators manage theirs), not anonymised yet."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.ACCOUNT_INACTIVITY_DAYS)
    unused = Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit)
    return User.objects.filter(unused, is_superuser=False).exclude(username__startswith=ANONYMOUS_PREFIX)


def send_inactivity_notice(user, *, now=None) -> bool:
    """Tells the person their account will be anonymised; False when there is no address to
    write to (the notice is recorded all the same: the deadline runs from it)."""
    now = now or timezone.now()
    deadline = now + datetime.timedelta(days=settings.ACCOUNT_NOTICE_DAYS)
    sent = False
    if user.email:
        context = {
            "user": user,
            "deadline": deadline,
            "link": settings.SITE_URL.rstrip("/") + reverse("accounts:login"),
        }
        send_mail(
            subject=_("Pilotis : votre compte inutilisé sera anonymisé"),
            message=render_to_string("accounts/emails/inactivity_notice.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        sent = True
    User.objects.filter(pk=user.pk).update(inactivity_notice_at=now)
    audit.record(AuditAction.INACTIVITY_NOTICE, actor=None, obj=user, label="anonymise_inactive", after={"sent": sent})
    return sent


@transaction.atomic
def anonymise_user(user, *, by=None, request=None) -> None:
    """Forgets the person: no name, address or password left, no role, no session; every app
    replaces the name it kept as text (core.personal_data.anonymise). Their actions stay, as a
    school's history, under « Compte anonymisé »."""
    user = User.objects.select_for_update().get(pk=user.pk)
    personal_data.anonymise(user)
    SchoolMembership.objects.filter(user=user).delete()
    TerritoryRole.objects.filter(user=user).delete()
    user.username = f"{ANONYMOUS_PREFIX}{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = False
    user.inactivity_notice_at = None
    user.save()
    audit.record(AuditAction.USER_ANONYMISED, actor=by, obj=user, label="anonymise_inactive", request=request)
    transaction.on_commit(lambda: end_sessions(user))
