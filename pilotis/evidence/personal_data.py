"""What the evidence holds about a person (core.personal_data): the pieces they added or removed
(names, never the files). Their name kept as text is replaced when their account is anonymised."""

from django.db.models import Q
from django.utils.translation import gettext as _

from pilotis.core.personal_data import ANONYMOUS_LABEL, anonymiser, section, when
from pilotis.evidence.models import Piece


@section("evidence", lambda: _("Pièces justificatives ajoutées ou retirées"), 90)
def pieces(user) -> list[dict]:
    return [
        {
            _("établissement"): p.school.name,
            _("pièce"): p.name,
            _("nature"): p.get_kind_display(),
            _("jointe à"): p.get_target_display(),
            _("ajoutée le"): when(p.added_at) if p.added_by_id == user.pk else None,
            _("retirée le"): when(p.removed_at) if p.removed_by_id == user.pk else None,
        }
        for p in Piece.objects.filter(Q(added_by=user) | Q(removed_by=user)).select_related("school").order_by("pk")
    ]


@anonymiser("evidence")
def forget(user) -> None:
    Piece.objects.filter(added_by=user).update(added_by_label=str(ANONYMOUS_LABEL))
    Piece.objects.filter(removed_by=user).update(removed_by_label=str(ANONYMOUS_LABEL))
