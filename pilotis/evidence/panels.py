"""What the evidence shows on the pages of the apps beneath (core.panels): the block of pieces on
the page of an answer, an action, a meeting, a fiche, a workshop; the names of an assessment's
pieces per indicator, for the synthesis and the PDF report; and, on the self-assessment's domain
page, how many pieces each answer has (one query for the whole page)."""

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pilotis.core.panels import IndicatorNote, Panel, attached_panel, indicator_notes, indicator_pieces, school_panel
from pilotis.evidence import files
from pilotis.evidence.enums import PieceKind
from pilotis.evidence.forms import FileForm, LinkForm
from pilotis.evidence.models import TARGETS, Piece
from pilotis.evidence.perms import can_attach, can_see_who, frozen_reason, may_attach_in, school_of


@attached_panel("evidence", order=10)
def evidence_block(request, target, obj):
    """The pieces of `obj` (one query), the removed ones in a history, and the forms for who may
    add. Who added a piece is named as the target's rule says (`perms.can_see_who`)."""
    if target not in TARGETS or obj is None:
        return None
    pieces = list(Piece.objects.of(target, obj).order_by("added_at", "pk"))
    writer = can_attach(request.user, target, obj)
    frozen = frozen_reason(target, obj) if writer else ""
    school = school_of(target, obj)
    here = request.get_full_path()
    data = {
        "target": target,
        "target_id": obj.pk,
        "live": [p for p in pieces if p.removed_at is None],
        "removed": [p for p in pieces if p.removed_at is not None],
        "show_who": can_see_who(request.user, target, obj),
        "writer": writer,
        "frozen": frozen,
        "uai": school.uai,
        "here": here,
    }
    if writer and not frozen:
        # What the school's pieces already weigh, against its quota (one aggregate).
        data["used"] = files.megabytes(Piece.objects.bytes_used(school))
        data["quota"] = files.megabytes(settings.EVIDENCE_SCHOOL_QUOTA_BYTES)
        initial = {"target": target, "target_id": obj.pk, "next": here}
        data["file_form"] = FileForm(
            initial={**initial, "kind": PieceKind.FILE},
            max_label=files.megabytes(settings.EVIDENCE_MAX_BYTES),
            auto_id="pf-%s",
        )
        data["link_form"] = LinkForm(initial={**initial, "kind": PieceKind.LINK}, auto_id="pl-%s")
        data["add_url"] = reverse("evidence:add", args=[school.uai])
    return Panel("evidence/panel.html", data)


def _name(piece) -> str:
    return piece["name"] if piece["kind"] == PieceKind.FILE else _("%(name)s (lien)") % {"name": piece["name"]}


@indicator_pieces("evidence", order=10)
def pieces_per_indicator(assessment) -> dict[str, list[str]]:
    """The names of the live pieces of each answer (never their contents), in the order added."""
    if assessment is None:
        return {}
    rows = (
        Piece.objects.live()
        .filter(answer__assessment=assessment)
        .order_by("added_at", "pk")
        .values("answer__indicator__code", "name", "kind")
    )
    names: dict[str, list[str]] = {}
    for row in rows:
        names.setdefault(row["answer__indicator__code"], []).append(_name(row))
    return names


@indicator_notes("evidence", order=30)
def pieces_count(request, school, campaign, indicators) -> dict:
    """« 2 pièces justificatives », with the link to the indicator's page where they are."""
    counts = (
        Piece.objects.filter(school=school, answer__assessment__campaign=campaign, answer__assessment__school=school)
        .values("answer__indicator__code")
        .annotate(n=Count("pk", filter=Q(removed_at__isnull=True)))
        .filter(n__gt=0)
    )
    notes = {}
    for row in counts:
        code, n = row["answer__indicator__code"], row["n"]
        url = reverse("assessments:history", args=[school.uai, campaign.school_year, code]) + "#pieces"
        text = ngettext("%(n)d pièce justificative jointe", "%(n)d pièces justificatives jointes", n) % {"n": n}
        notes[code] = [IndicatorNote(text, ((_("Voir les pièces"), url),))]
    return notes


@school_panel("evidence", order=45)
def evidence_of_school(request, school):
    """For the school's members: how many pieces, the room they take, and the way to their list."""
    if not may_attach_in(request.user, school):
        return None
    totals = Piece.objects.live().filter(school=school).aggregate(n=Count("pk"), size=Sum("size"))
    return Panel(
        "evidence/school_panel.html",
        {
            "count": totals["n"],
            "used": files.megabytes(totals["size"] or 0),
            "quota": files.megabytes(settings.EVIDENCE_SCHOOL_QUOTA_BYTES),
        },
    )
