"""Every write of the commission numérique, each in a transaction with its audit row. Each service
checks its author itself (`PermissionDenied`), whatever the view did, refuses bad input with a
`ValidationError` in French before writing anything, and refuses to touch validated minutes
(`MinutesLocked`) until the direction reopens them."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import mailers
from django.core.mail.message import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotis.accounts.models import SchoolMembership
from pilotis.assessments.models import Answer, Campaign
from pilotis.commission.enums import MeetingState, MemberGroup, Presence
from pilotis.commission.models import AgendaItem, Attendance, CommissionMember, Decision, Meeting
from pilotis.commission.perms import can_run_commission, can_validate_minutes
from pilotis.core import audit, formats
from pilotis.core.enums import AuditAction
from pilotis.core.school_years import school_year_of
from pilotis.plans.enums import ActionStatus
from pilotis.plans.models import Action, Plan
from pilotis.plans.services import create_action
from pilotis.referential.models import Indicator

# « Suivi du plan » lists the actions due within this many days of the meeting, and those overdue.
DUE_WITHIN = datetime.timedelta(days=30)
FOLLOW_UP_TITLE = "Suivi du plan"


class MinutesLocked(ValidationError):
    """The meeting's minutes are validated: nothing of it changes until they are reopened."""


class StaleMeeting(ValidationError):
    """The meeting changed since the author's page was loaded: nothing was written."""


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def school_year_start(school_year: str) -> datetime.date:
    return datetime.date(int(school_year[:4]), 9, 1)


def year_bounds(school_year: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The school year as two aware moments: 1 September 00:00 to the next 1 September 00:00."""
    start = school_year_start(school_year)
    end = datetime.date(start.year + 1, 9, 1)
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(end, datetime.time(), tzinfo=zone),
    )


def _check_locked(meeting):
    if meeting.is_locked:
        raise MinutesLocked(
            _(
                "Le compte rendu de cette réunion est validé : il ne peut plus être modifié, sauf si la "
                "direction le rouvre."
            )
        )


def _check_revision(locked, seen_revision, what=""):
    if seen_revision is not None and seen_revision != locked.revision:
        raise StaleMeeting(
            _(
                "La réunion a été modifiée par quelqu'un d'autre depuis l'affichage de cette page : rien n'a été "
                "enregistré. Vos saisies sont ci-dessous ; rechargez la page pour voir la version actuelle, puis "
                "reprenez-les."
            )
        )


def _lock(meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("school__department").get(pk=meeting.pk)


def _bump(meeting, *fields):
    meeting.revision += 1
    meeting.save(update_fields=["revision", *fields])


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


# --- What the commission may point to ---------------------------------------------------------------


def agenda_referential_id(school):
    """The referential of the school's current campaign (or, between campaigns, its académie's
    latest one): an agenda item's indicators are that version's."""
    academy_id = school.department.academy_id
    campaign = (
        Campaign.objects.current_for(academy_id) or Campaign.objects.started().filter(academy_id=academy_id).first()
    )
    return campaign.referential_id if campaign else None


def allowed_indicators(school):
    referential_id = agenda_referential_id(school)
    if referential_id is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(version_id=referential_id).order_by("position", "code")


def school_actions(school):
    return Action.objects.filter(school=school).order_by("plan__first_year", "position", "pk")


def current_plan(school) -> Plan | None:
    """The plan covering this school year, else the school's latest."""
    plans = Plan.objects.filter(school=school)
    year = school_year_of(timezone.localdate())
    return plans.covering(year).order_by("-first_year").first() or plans.order_by("-first_year").first()


@dataclass
class ItemInput:
    """One agenda item as typed: `pk` of an existing item, or None for a new one."""

    title: str
    notes: str = ""
    indicators: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    pk: int | None = None


def _check_items(school, items: list[ItemInput]):
    referential_id = agenda_referential_id(school)
    wrong_indicators = sorted({i.code for item in items for i in item.indicators if i.version_id != referential_id})
    if wrong_indicators:
        raise ValidationError(
            _("Ces indicateurs ne sont pas dans le référentiel de la campagne en cours de l'établissement : %(codes)s.")
            % {"codes": ", ".join(wrong_indicators)}
        )
    if any(action.school_id != school.pk for item in items for action in item.actions):
        raise ValidationError(
            _("Un point de l'ordre du jour désigne une action qui n'est pas du plan de l'établissement.")
        )
    if any(not item.title.strip() for item in items):
        raise ValidationError(_("Chaque point de l'ordre du jour a un intitulé."))


# --- Meetings ---------------------------------------------------------------------------------------


def _check_times(starts_at, ends_at):
    if starts_at is None:
        raise ValidationError(_("Indiquez la date et l'heure de la réunion."))
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError(_("La fin de la réunion doit suivre son début."))


def follow_up(school, starts_at, *, exclude_pk=None) -> ItemInput:
    """« Suivi du plan »: the school's unfinished actions due before the meeting's day + 30 days (the
    overdue ones first named so), and the indicators whose answer changed since the last meeting
    before this one (or since the school year began) in that school year's self-assessment: last
    year's answers, given after last year's last meeting, are not this year's news."""
    day = timezone.localtime(starts_at).date()
    actions = list(
        Action.objects.filter(
            school=school, status__in=ActionStatus.unfinished(), due_on__lte=day + DUE_WITHIN
        ).order_by("due_on", "pk")
    )
    previous = (
        Meeting.objects.filter(school=school, starts_at__lt=starts_at)
        .exclude(pk=exclude_pk)
        .order_by("-starts_at")
        .first()
    )
    since = previous.starts_at if previous else year_bounds(school_year_of(day))[0]
    referential_id = agenda_referential_id(school)
    answers = list(
        Answer.objects.filter(
            assessment__school=school,
            assessment__campaign__school_year=school_year_of(day),
            changes__changed_at__gte=since,
        )
        .select_related("indicator")
        .distinct()
        .order_by("indicator__code")
    )
    lines = []
    today = timezone.localdate()
    if actions:
        lines.append(_("Actions à échéance ou en retard :"))
        for action in actions:
            late = _(" — en retard") if action.due_on < today else ""
            lines.append(
                _("- %(title)s (échéance le %(day)s, %(status)s%(late)s)")
                % {
                    "title": action.title,
                    "day": formats.day(action.due_on),
                    "status": action.get_status_display(),
                    "late": late,
                }
            )
    else:
        lines.append(_("Aucune action du plan n'arrive à échéance d'ici la réunion."))
    since_words = formats.day(timezone.localtime(since).date())
    if answers:
        lines.append(_("Indicateurs dont la réponse a changé depuis le %(day)s :") % {"day": since_words})
        # One line per answer given, so that a whole self-assessment filled in since reads in a few lines.
        by_status = {}
        for answer in answers:
            by_status.setdefault(answer.get_status_display() or _("sans réponse"), []).append(answer.indicator.code)
        for status, codes in by_status.items():
            lines.append(_("- %(status)s : %(codes)s") % {"status": status, "codes": ", ".join(codes)})
    else:
        lines.append(_("Aucune réponse de l'autodiagnostic n'a changé depuis le %(day)s.") % {"day": since_words})
    return ItemInput(
        title=_(FOLLOW_UP_TITLE),
        notes="\n".join(lines),
        indicators=[answer.indicator for answer in answers if answer.indicator.version_id == referential_id],
        actions=actions,
    )


def create_meeting(school, *, by, starts_at, ends_at=None, place="", visio_url="") -> Meeting:
    """A planned meeting, its agenda pre-filled with « Suivi du plan »."""
    require(can_run_commission(by, school))
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            school=school, starts_at=starts_at, ends_at=ends_at, place=place, visio_url=visio_url, created_by=by
        )
        _write_items(meeting, [follow_up(school, starts_at, exclude_pk=meeting.pk)])
        audit.record(
            AuditAction.COMMISSION_CHANGED,
            actor=by,
            obj=meeting,
            after={"meeting": formats.moment(starts_at), "place": place or visio_url},
        )
    return meeting


def _write_items(meeting, items: list[ItemInput]):
    existing = {item.pk: item for item in meeting.items.all()} if meeting.pk else {}
    kept = set()
    for position, data in enumerate(items):
        item = existing.get(data.pk) if data.pk else None
        if item is None:
            item = AgendaItem(meeting=meeting)
        item.position, item.title, item.notes = position, data.title.strip(), data.notes
        item.save()
        item.indicators.set(data.indicators)
        item.actions.set(data.actions)
        kept.add(item.pk)
    AgendaItem.objects.filter(meeting=meeting).exclude(pk__in=kept).delete()


def update_meeting(meeting, *, by, seen_revision, starts_at, ends_at, place, visio_url, items) -> Meeting:
    """Its date, place and agenda (`items`: ItemInput, in order; an item left out is removed)."""
    require(can_run_commission(by, meeting.school))
    _check_times(starts_at, ends_at)
    _check_items(meeting.school, items)
    with transaction.atomic():
        locked = _lock(meeting)
        _check_locked(locked)
        _check_revision(locked, seen_revision)
        before = {"meeting": formats.moment(locked.starts_at), "place": locked.place or locked.visio_url}
        locked.starts_at, locked.ends_at, locked.place, locked.visio_url = starts_at, ends_at, place, visio_url
        _write_items(locked, items)
        _bump(locked, "starts_at", "ends_at", "place", "visio_url")
        audit.record(
            AuditAction.COMMISSION_CHANGED,
            actor=by,
            obj=locked,
            before=before,
            after={"meeting": formats.moment(starts_at), "place": place or visio_url, "items": len(items)},
        )
    return locked


@dataclass
class DecisionInput:
    text: str
    pk: int | None = None


def record_minutes(meeting, *, by, seen_revision, attendance: dict, minutes: str, decisions: list) -> Meeting:
    """What was said and decided: `attendance` maps a member's id to a Presence (or "": not recorded),
    `decisions` are DecisionInput in order (one left out is removed, with its link to an action).
    A meeting with its minutes, attendance or decisions is « Tenue »."""
    require(can_run_commission(by, meeting.school))
    if any(value and value not in Presence.values for value in attendance.values()):
        raise ValidationError(_("Présence inconnue."))
    if any(not decision.text.strip() for decision in decisions):
        raise ValidationError(_("Une décision ne peut pas être vide."))
    with transaction.atomic():
        locked = _lock(meeting)
        _check_locked(locked)
        _check_revision(locked, seen_revision)
        members = set(
            CommissionMember.objects.filter(school_id=locked.school_id, pk__in=list(attendance)).values_list(
                "pk", flat=True
            )
        )
        if set(attendance) - members:
            raise ValidationError(_("Une présence désigne une personne qui n'est pas membre de la commission."))
        Attendance.objects.filter(meeting=locked).exclude(
            member_id__in=[pk for pk, value in attendance.items() if value]
        ).delete()
        current = {a.member_id: a for a in Attendance.objects.filter(meeting=locked)}
        for member_id, presence in attendance.items():
            if not presence:
                continue
            row = current.get(member_id)
            if row is None:
                Attendance.objects.create(meeting=locked, member_id=member_id, presence=presence)
            elif row.presence != presence:
                row.presence = presence
                row.save(update_fields=["presence"])
        existing = {d.pk: d for d in Decision.objects.filter(meeting=locked)}
        kept = set()
        for position, data in enumerate(decisions):
            decision = existing.get(data.pk) if data.pk else None
            if decision is None:
                decision = Decision(meeting=locked)
            decision.position, decision.text = position, data.text.strip()
            decision.save()
            kept.add(decision.pk)
        Decision.objects.filter(meeting=locked).exclude(pk__in=kept).delete()
        before = {"state": locked.state, "minutes": len(locked.minutes)}
        locked.minutes = minutes
        if minutes.strip() or decisions or any(attendance.values()):
            locked.state = MeetingState.HELD
        _bump(locked, "minutes", "state")
        audit.record(
            AuditAction.COMMISSION_CHANGED,
            actor=by,
            obj=locked,
            before=before,
            after={"state": locked.state, "minutes": len(minutes), "decisions": len(decisions)},
        )
    return locked


def decision_to_action(decision, *, by):
    """« En faire une action »: the decision becomes an action of the school's current plan, its
    journal saying where it comes from. The record of the meeting is not changed (only the link
    from the decision to its action), so it is allowed once the minutes are validated too."""
    meeting = decision.meeting
    require(can_run_commission(by, meeting.school))
    plan = current_plan(meeting.school)
    if plan is None:
        raise ValidationError(_("L'établissement n'a pas encore de plan d'actions : créez-le d'abord."))
    with transaction.atomic():
        locked = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
        if locked.action_id is not None:
            raise ValidationError(_("Cette décision est déjà une action du plan."))
        text = locked.text.strip()
        title = text.splitlines()[0][:300]
        day = formats.day(timezone.localtime(meeting.starts_at).date())
        action = create_action(
            plan,
            by=by,
            title=title,
            description=text,
            note=_("Décidée en commission numérique le %(day)s.") % {"day": day},
        )
        locked.action = action
        locked.save(update_fields=["action"])
        audit.record(
            AuditAction.COMMISSION_CHANGED, actor=by, obj=meeting, after={"decision": locked.pk, "action": action.pk}
        )
    return action


def validate_minutes(meeting, *, by, seen_revision=None) -> Meeting:
    """« Compte rendu validé »: minutes, attendance, decisions and agenda are locked for everyone."""
    require(can_validate_minutes(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        _check_locked(locked)
        _check_revision(locked, seen_revision)
        if locked.starts_at > timezone.now():
            raise ValidationError(_("La réunion n'a pas encore eu lieu : son compte rendu ne peut pas être validé."))
        before = locked.state
        locked.state = MeetingState.VALIDATED
        locked.validated_by, locked.validated_by_label, locked.validated_at = by, str(by)[:200], timezone.now()
        _bump(locked, "state", "validated_by", "validated_by_label", "validated_at")
        audit.record(
            AuditAction.MINUTES_VALIDATED, actor=by, obj=locked, before={"state": before}, after={"state": locked.state}
        )
    return locked


def reopen_minutes(meeting, *, by) -> Meeting:
    """The direction unlocks validated minutes (audited); the meeting is « Tenue » again."""
    require(can_validate_minutes(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        if not locked.is_locked:
            raise ValidationError(_("Le compte rendu de cette réunion n'est pas validé."))
        locked.state = MeetingState.HELD
        locked.validated_by, locked.validated_by_label, locked.validated_at = None, "", None
        _bump(locked, "state", "validated_by", "validated_by_label", "validated_at")
        audit.record(
            AuditAction.MINUTES_REOPENED,
            actor=by,
            obj=locked,
            before={"state": MeetingState.VALIDATED},
            after={"state": locked.state},
        )
    return locked


def deletion_refusal(meeting) -> str:
    if meeting.state != MeetingState.PLANNED or meeting.minutes.strip():
        return _("Seule une réunion prévue, sans compte rendu, peut être supprimée.")
    return ""


def delete_meeting(meeting, *, by) -> None:
    """Only a planned meeting without minutes."""
    require(can_run_commission(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        refusal = deletion_refusal(locked)
        if refusal:
            raise ValidationError(refusal)
        audit.record(
            AuditAction.MEETING_DELETED,
            actor=by,
            obj=locked,
            before={"meeting": formats.moment(locked.starts_at), "place": locked.place or locked.visio_url},
        )
        locked.delete()


# --- Convocation ------------------------------------------------------------------------------------


def convocation_members(meeting):
    """(with an address, without) among the members sitting on the meeting's day."""
    day = timezone.localtime(meeting.starts_at).date()
    members = list(
        CommissionMember.objects.filter(school_id=meeting.school_id)
        .active_on(day)
        .select_related("user")
        .order_by("name", "pk")
    )
    reachable = [m for m in members if member_email(m)]
    return reachable, [m for m in members if not member_email(m)]


def meeting_url(meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("commission:meeting", args=[meeting.school.uai, meeting.pk])


def convocation_text(meeting, *, sender_name) -> tuple[str, str]:
    """The e-mail's subject and body, as sent (the confirmation page shows them)."""
    items = list(meeting.items.all())
    context = {
        "meeting": meeting,
        "school": meeting.school,
        "items": items,
        "sender": sender_name,
        "link": meeting_url(meeting),
    }
    subject = _("Convocation : commission numérique du %(day)s — %(school)s") % {
        "day": formats.day(timezone.localtime(meeting.starts_at).date()),
        "school": meeting.school.name,
    }
    return subject, render_to_string("commission/emails/convocation.txt", context)


def convene(meeting, *, by) -> tuple[list, list]:
    """Sends the convocation, with its invitation (.ics), to the members who have an address; each
    sending raises the invitation's SEQUENCE. The e-mail goes once the transaction commits.
    Returns (members written to, members without an address)."""
    from pilotis.commission.invitation import invitation

    require(can_run_commission(by, meeting.school))
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.state != MeetingState.PLANNED:
            raise ValidationError(_("La réunion a déjà eu lieu : sa convocation ne peut plus être envoyée."))
        reachable, unreachable = convocation_members(locked)
        if not reachable:
            raise ValidationError(
                _("Aucun membre de la commission n'a d'adresse électronique : personne ne peut être convoqué.")
            )
        locked.convocation_sequence += 1
        locked.convened_at = timezone.now()
        locked.save(update_fields=["convocation_sequence", "convened_at"])
        sender_name = str(by)
        subject, body = convocation_text(locked, sender_name=sender_name)
        ics = invitation(
            locked,
            organizer_name=sender_name,
            organizer_email=by.email,
            attendees=[(m.name, member_email(m)) for m in reachable],
            summary=_("Commission numérique — %(school)s") % {"school": locked.school.name},
            description=body,
            url=meeting_url(locked),
        )
        message = EmailMessage(
            subject=subject,
            body=body,
            to=[member_email(m) for m in reachable],
            reply_to=[by.email] if by.email else None,
        )
        message.attach("convocation.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        audit.record(
            AuditAction.MEETING_CONVENED,
            actor=by,
            obj=locked,
            after={
                "sent_to": len(reachable),
                "without_address": len(unreachable),
                "sequence": locked.convocation_sequence,
            },
        )
        transaction.on_commit(lambda: mailers.default.send_messages([message]))
    return reachable, unreachable
