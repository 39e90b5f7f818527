"""The RUPN's designations and letters in the admin: to find and read them, never to change them.

Every change of a designation or a letter goes through `missions.services`, which check who may do
it, keep the letter's state machine and revisions, and journal the IMP: an edit here would bypass
all three. The catalogue is the DANE's, changed on its page (« Catalogue des missions »), journaled.
"""

from django.contrib import admin

from pilotis.missions.models import CatalogueEntry, Designation, LetterMission, MissionLetter


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    list_display = ["school_year", "school", "user_label", "starts_on", "ends_on"]
    list_filter = ["school_year", "school__department__academy", "school__department"]
    search_fields = ["user_label", "school__name", "school__uai"]
    list_select_related = ["school"]


class LetterMissionInline(admin.TabularInline):
    model = LetterMission
    fields = ["heading", "function", "priority", "text"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MissionLetter)
class MissionLetterAdmin(ReadOnlyAdmin):
    list_display = ["school", "designation", "state", "signed_at", "updated_at"]
    list_filter = ["state", "designation__school_year", "school__department__academy"]
    search_fields = ["school__name", "school__uai", "designation__user_label"]
    list_select_related = ["school", "designation"]
    exclude = ["indicators"]
    inlines = [LetterMissionInline]


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(ReadOnlyAdmin):
    list_display = ["text", "heading", "function", "academy", "position"]
    list_filter = ["heading", "function", "academy"]
    search_fields = ["text"]
