"""What the demandes d'assistance hold about a person (core.personal_data): the requests they
wrote. Nothing is kept as text under their name (the requester is the account itself, anonymised
with it), so no anonymiser is needed. What was sent to a channel (their name and address in the
e-mail or the ticket) lives in that channel's tool, not in Pilotis."""

from django.utils.translation import gettext as _

from pilotis.core.personal_data import section, when
from pilotis.support.models import SupportRequest


@section("support_requests", lambda: _("Demandes d'assistance écrites"), 80)
def written(user) -> list[dict]:
    return [
        {
            _("établissement"): r.school.name,
            _("date"): when(r.created_at),
            _("objet"): r.subject,
            _("catégorie"): r.get_category_display(),
            _("état"): r.get_state_display(),
            _("assistance"): r.channel.name if r.channel_id else "",
        }
        for r in SupportRequest.objects.filter(requester=user)
        .select_related("school", "channel")
        .order_by("created_at", "pk")
    ]
