from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from pilotis.accounts import services
from pilotis.accounts.models import ProConnectIdentity, SchoolMembership, TerritoryRole, User


class SchoolMembershipInline(admin.TabularInline):
    model = SchoolMembership
    fk_name = "user"
    raw_id_fields = ["school"]
    exclude = ["created_by"]
    extra = 0


class TerritoryRoleInline(admin.TabularInline):
    model = TerritoryRole
    fk_name = "user"
    exclude = ["created_by"]
    extra = 0


class ProConnectIdentityInline(admin.TabularInline):
    """Read, or deleted to untie an identity (its next sign-in ties it again by e-mail): never
    written by hand, only by a sign-in (accounts.proconnect.services)."""

    model = ProConnectIdentity
    readonly_fields = ["idp_id", "sub", "email", "siret", "created_at", "last_login_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [SchoolMembershipInline, TerritoryRoleInline, ProConnectIdentityInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff", "last_login"]

    def save_model(self, request, obj, form, change):
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            # Through the service: audited, and the user's open sessions end now.
            obj.is_active = True
            services.deactivate_user(obj, by=request.user, request=request)


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "school__uai", "school__name"]
    raw_id_fields = ["user", "school", "created_by"]


@admin.register(TerritoryRole)
class TerritoryRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "department", "academy", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "created_by"]
