"""The evidence in the admin: read to find a piece and its trace (who added or removed it, its
checksum), never changed here — adding and removing go through `evidence.services`, which check
the file, the author's right and the target's state, and keep the storage and the rows together.
The admin offers no download: the file is read through `pieces:download` alone."""

from django.contrib import admin

from pilotis.core.admin import ReadOnlyAdmin
from pilotis.evidence.models import Piece


@admin.register(Piece)
class PieceAdmin(ReadOnlyAdmin):
    list_display = ["name", "school", "kind", "file_type", "size", "added_by_label", "added_at", "removed_at"]
    list_filter = ["kind", "file_type"]
    search_fields = ["name", "school__uai", "school__name", "sha256"]
    list_select_related = ["school"]
    date_hierarchy = "added_at"
    raw_id_fields = ["school", "answer", "action", "meeting", "fiche", "workshop", "added_by", "removed_by"]
