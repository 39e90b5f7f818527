"""The guard of a piece's download: the piece (live, a file), then whoever reads what it is
attached to (`perms.can_read_piece`); otherwise it does not exist for the user (a journaled 404).
The piece is not reached through a school's URL: a fiche shared with the académie opens its
attachments to readers of other schools."""

from functools import wraps

from pilotis.core.guards import name_guard, refuse
from pilotis.evidence.enums import PieceKind
from pilotis.evidence.models import Piece
from pilotis.evidence.perms import can_read_piece


def piece_view(name: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            piece = (
                Piece.objects.live()
                .filter(pk=pk, kind=PieceKind.FILE)
                .select_related("school__department", "answer__assessment", "action", "meeting", "fiche", "workshop")
                .first()
            )
            if piece is not None:
                target = getattr(piece, piece.target)
                if piece.answer_id:
                    target.assessment.school = piece.school
                else:
                    target.school = piece.school
            if piece is None or not can_read_piece(request.user, piece):
                refuse(request, what=f"{name} {str(pk)[:12]}")
            return view(request, piece, *args, **kwargs)

        return name_guard(wrapper, name)

    return decorator
