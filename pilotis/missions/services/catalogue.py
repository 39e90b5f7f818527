"""The académie's catalogue of missions: the entries a letter's missions are copied from."""

from django.db import transaction

from pilotis.core import audit
from pilotis.core.enums import AuditAction
from pilotis.missions.models import CatalogueEntry


@transaction.atomic
def add_catalogue_entry(academy, *, heading, function, text, by, request=None) -> CatalogueEntry:
    position = CatalogueEntry.objects.filter(heading=heading).count() + 100
    entry = CatalogueEntry.objects.create(
        academy=academy, heading=heading, function=function, text=text.strip(), position=position, created_by=by
    )
    audit.record(
        AuditAction.CATALOGUE_CHANGED, actor=by, obj=entry, after={"text": entry.text, "active": True}, request=request
    )
    return entry


@transaction.atomic
def change_catalogue_entry(entry, *, heading, function, text, is_active, by, request=None) -> CatalogueEntry:
    """Letters keep their own copy of a mission's text: changing the catalogue never alters a letter."""
    before = {"text": entry.text, "active": entry.is_active}
    entry.heading, entry.function, entry.text, entry.is_active = heading, function, text.strip(), is_active
    entry.save(update_fields=["heading", "function", "text", "is_active"])
    audit.record(
        AuditAction.CATALOGUE_CHANGED,
        actor=by,
        obj=entry,
        before=before,
        after={"text": entry.text, "active": entry.is_active},
        request=request,
    )
    return entry
