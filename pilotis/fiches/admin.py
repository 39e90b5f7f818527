"""The fiches in the admin: for reading and repairing. Publishing, taking back and the authors'
consent are the services' (and the pages'): read-only here."""

from django.contrib import admin

from pilotis.fiches.models import Fiche, FicheAuthor, FicheTerm


class FicheAuthorInline(admin.TabularInline):
    model = FicheAuthor
    extra = 0
    fields = ("user", "named", "position")
    readonly_fields = ("user", "named")
    can_delete = False


class FicheTermInline(admin.TabularInline):
    model = FicheTerm
    extra = 0
    fields = ("kind", "code")
    readonly_fields = ("kind", "code")
    can_delete = False


@admin.register(Fiche)
class FicheAdmin(admin.ModelAdmin):
    list_display = ("title", "school", "state", "visibility", "published_at", "featured_at", "taken_down_at")
    list_filter = ("state", "visibility", "academy")
    search_fields = ("title", "school__name", "school__uai")
    list_select_related = ("school",)
    raw_id_fields = ("school", "academy", "created_by", "taken_down_by")
    readonly_fields = (
        "school",
        "academy",
        "state",
        "visibility",
        "published_at",
        "featured_at",
        "taken_down_at",
        "taken_down_by",
        "taken_down_reason",
        "revision",
        "created_by",
        "created_at",
        "updated_at",
    )
    filter_horizontal = ()
    exclude = ("actions",)
    inlines = [FicheAuthorInline, FicheTermInline]

    def has_add_permission(self, request):
        return False
