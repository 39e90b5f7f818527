"""What the flash'infos hold about a person (core.personal_data): the issues they published or
proof-read. Their name is kept as text on those issues (« publié par », « relu par »): the
anonymiser replaces it."""

from django.db.models import Q
from django.utils.translation import gettext as _

from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when
from pilotis.newsletters.models import Newsletter


@section("newsletters", lambda: _("Flash'infos publiés ou relus"), 77)
def issues(user) -> list[dict]:
    rows = []
    for n in (
        Newsletter.objects.filter(Q(published_by=user) | Q(proofread_by=user))
        .select_related("school")
        .order_by("created_at", "pk")
    ):
        rows.append(
            {
                _("établissement"): n.school.name,
                _("titre"): n.title,
                _("numéro"): n.number,
                _("publié le"): when(n.published_at) if n.published_by_id == user.pk else None,
                _("relu le"): when(n.proofread_at) if n.proofread_by_id == user.pk else None,
            }
        )
    return rows


@anonymiser("newsletters")
def forget(user) -> None:
    Newsletter.objects.filter(published_by=user).update(published_by_label=str(ANONYMOUS_LABEL))
    Newsletter.objects.filter(proofread_by=user).update(proofread_by_label=str(ANONYMOUS_LABEL))
