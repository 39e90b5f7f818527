from django.contrib import admin

from pilotis.core.models import AuditEvent


class ReadOnly:
    """Shown, never added, changed or deleted in the admin: what a service guards (a state
    machine, a revision, a journal) is changed through the service alone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_label", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "object_id", "request_id"]
    date_hierarchy = "created_at"
    # The journal is append-only, even for the administrator (ReadOnlyAdmin).
