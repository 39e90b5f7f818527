"""What the commission holds about a person (core.personal_data): their memberships of a commission,
and the minutes they validated. A person's name kept as text (a member with an account, the one
who validated) is replaced when their account is anonymised."""

from django.utils.translation import gettext as _

from pilotis.commission.models import CommissionMember, Meeting
from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when


@section("commission_members", lambda: _("Membre de commissions numériques"), 70)
def memberships(user) -> list[dict]:
    return [
        {
            _("établissement"): m.school.name,
            _("nom"): m.name,
            _("collège"): m.get_group_display(),
            _("depuis le"): when(m.from_date),
            _("jusqu'au"): when(m.to_date),
            _("présences"): [
                f"{when(a.meeting.starts_at)} : {a.get_presence_display()}"
                for a in m.attendances.select_related("meeting").order_by("meeting__starts_at")
            ],
        }
        for m in CommissionMember.objects.filter(user=user).select_related("school").order_by("from_date", "pk")
    ]


@section("commission_minutes", lambda: _("Comptes rendus de commission numérique validés"), 71)
def validated_minutes(user) -> list[dict]:
    return [
        {
            _("établissement"): m.school.name,
            _("réunion du"): when(m.starts_at),
            _("validé le"): when(m.validated_at),
            _("nom inscrit"): m.validated_by_label,
        }
        for m in Meeting.objects.filter(validated_by=user).select_related("school").order_by("starts_at", "pk")
    ]


@anonymiser("commission")
def forget(user) -> None:
    CommissionMember.objects.filter(user=user).update(name=str(ANONYMOUS_LABEL))
    Meeting.objects.filter(validated_by=user).update(validated_by_label=str(ANONYMOUS_LABEL))
