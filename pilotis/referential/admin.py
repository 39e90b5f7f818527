from django.contrib import admin

from pilotis.referential.models import Indicator, ReferentialVersion


@admin.register(ReferentialVersion)
class ReferentialVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "supersedes", "locked_at", "loaded_at"]

    # The referential is data loaded from versioned files (`load_referential`), not edited here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A version a campaign uses is frozen: deleting it (and its domains and indicators with
        # it) would change it as surely as editing it. The bulk action asks again per object.
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "domain", "level", "statement"]
    list_filter = ["version", "domain__code", "level"]
    search_fields = ["code", "statement"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # An indicator of a frozen version stays: without answers yet, nothing else protects it.
        if obj is not None and obj.version.is_locked:
            return False
        return super().has_delete_permission(request, obj)
