"""The RUPN's designations and letters in the admin: to find and read them, never to change them.

Every change of a designation or a letter goes through `missions.services`, which check who may do
it, keep the letter's state machine and revisions, and journal the IMP: an edit here would bypass
all three. The catalogue is the DANE's, changed on its page (« Catalogue des missions »), journaled.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pilotis.core import formats
from pilotis.core.admin import ReadOnlyAdmin, ReadOnlyInline
from pilotis.missions.models import CatalogueEntry, Designation, LetterMission, MissionLetter


def _when_by(moment, person) -> str:
    if moment is None:
        return "—"
    when = formats.moment(moment)
    return f"{when} — {person}" if person else when


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ["school_year", "school", "person", "starts_on", "ends_on"]
    fields = ["school", "person", "school_year", "starts_on", "ends_on", "imp_amount", "created"]
    list_filter = ["school_year", "school__department__academy", "school__department"]
    search_fields = ["user_label", "school__name", "school__uai"]
    list_select_related = ["school"]

    @admin.display(description=_("personne désignée"), ordering="user_label")
    def person(self, designation):
        return designation.user_label

    @admin.display(description=_("créée"))
    def created(self, designation):
        return _when_by(designation.created_at, designation.created_by)


class LetterMissionInline(ReadOnlyInline):
    model = LetterMission
    verbose_name = _("mission")
    verbose_name_plural = _("missions de la lettre")
    fields = ["heading", "function", "priority", "text"]


@admin.register(MissionLetter)
class MissionLetterAdmin(ReadOnlyAdmin):
    list_display = ["establishment", "rupn", "state", "signed_at", "modified"]
    list_filter = ["state", "designation__school_year", "school__department__academy"]
    search_fields = ["school__name", "school__uai", "designation__user_label"]
    list_select_related = ["school", "designation"]
    fields = [
        "establishment",
        "rupn",
        "state",
        "imp_amount",
        "starts_on",
        "ends_on",
        "means_time",
        "means_equipment",
        "means_room",
        "training",
        "pedagogical_council",
        "digital_commission",
        "free_text",
        "proposed",
        "returned_comment",
        "accepted",
        "signed",
        "presented_pedagogical_council_on",
        "presented_board_on",
        "created",
        "modified",
    ]
    inlines = [LetterMissionInline]

    @admin.display(description=_("établissement"), ordering="school__sort_name")
    def establishment(self, letter):
        return letter.school

    @admin.display(description=_("RUPN"), ordering="designation__user_label")
    def rupn(self, letter):
        return letter.designation.user_label

    @admin.display(description=_("proposée"))
    def proposed(self, letter):
        return _when_by(letter.proposed_at, letter.proposed_by)

    @admin.display(description=_("acceptée"))
    def accepted(self, letter):
        return _when_by(letter.accepted_at, letter.accepted_by_label)

    @admin.display(description=_("signée"))
    def signed(self, letter):
        return _when_by(letter.signed_at, letter.signed_by_label)

    @admin.display(description=_("créée"))
    def created(self, letter):
        return _when_by(letter.created_at, letter.created_by)

    @admin.display(description=_("dernière modification"), ordering="updated_at")
    def modified(self, letter):
        return formats.moment(letter.updated_at)


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(ReadOnlyAdmin):
    list_display = ["text", "heading", "function", "academy", "position"]
    list_filter = ["heading", "function", "academy"]
    search_fields = ["text"]
