from django.contrib import admin

from pilotis.territories.models import Academy, Department, School
from pilotis.territories.signals import schools_regrouped


@admin.register(Academy)
class AcademyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "academy"]
    list_filter = ["academy"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # A département does not change académie (the annuaire import refuses it too): its schools'
        # campaigns, roles and figures are the académie's. Reorganising académies is a migration.
        return ["academy"] if obj is not None else []


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["uai", "name", "kind", "sector", "commune", "department", "is_open"]
    list_filter = ["kind", "sector", "is_open", "department__academy"]
    search_fields = ["uai", "name", "commune"]
    list_select_related = ["department"]
    raw_id_fields = ["department"]

    def get_search_results(self, request, queryset, search_term):
        # The pages' own search: case, accents and word order ignored, a UAI found exactly.
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change):
        before = School.objects.filter(pk=obj.pk).values_list("department_id", "is_open").first() if change else None
        super().save_model(request, obj, form, change)
        if change and before != (obj.department_id, obj.is_open):
            schools_regrouped.send(sender=School, school_ids=[obj.pk])
