"""The action plans and the catalogue of suggested actions in the admin.

Plans, their adopted versions, objectives, actions and journals are shown to find and read them,
never changed here: every change goes through `plans.services`, which check who may do it, move
the plan's revision (a change after adoption is the next version) and keep the action's journal
and its optimistic lock; an edit here would bypass all of them.

The catalogue is the DANE's: the suggestions shipped with Pilotis are reloaded from
`plans/data/suggestions.yaml` (`load_suggestions`), so their content is read-only here; an
académie adds and edits its own, which the loader never touches. A suggestion is withdrawn
(« proposée aux établissements » unticked), never deleted: the actions built from it point to it.
"""

import json

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilotis.core import formats
from pilotis.core.admin import ReadOnlyAdmin, ReadOnlyInline
from pilotis.core.audit import record
from pilotis.core.enums import AuditAction
from pilotis.core.forms import CleanCharField
from pilotis.plans.models import (
    Action,
    ActionEvent,
    Objective,
    ObjectiveTarget,
    Plan,
    PlanVersion,
    SuggestedAction,
)
from pilotis.plans.suggestions import normalised_title
from pilotis.referential.models import Indicator
from pilotis.territories.models import Academy


def shown(name, description, show=None):
    """A field of a model whose label was left in English (bookkeeping columns), shown under a
    French one; `show` formats its value."""

    @admin.display(description=description, ordering=name)
    def display(self, obj):
        value = getattr(obj, name)
        if value is None or value == "":
            return "—"
        return show(value) if show else value

    return display


def when_by(moment_field, person_field, description):
    @admin.display(description=description, ordering=moment_field)
    def display(self, obj):
        moment, person = getattr(obj, moment_field), getattr(obj, person_field)
        when = formats.moment(moment)
        return f"{when} — {person}" if person else when

    return display


def status_of(name, description):
    @admin.display(description=description, ordering=name)
    def display(self, obj):
        return getattr(obj, f"get_{name}_display")() or "—"

    return display


CONTENT = ["indicator_code", "title", "description", "means", "success_criteria", "position", "is_active"]


class SuggestedActionForm(forms.ModelForm):
    class Meta:
        model = SuggestedAction
        fields = ["academy", *CONTENT]
        # Free text under the house rule (no control characters; line feeds in the textareas only).
        field_classes = dict.fromkeys(("title", "description", "means", "success_criteria"), CleanCharField)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "academy" in self.fields:
            # The shipped ones come from the file: one added here is an académie's.
            self.fields["academy"].required = True
            self.fields["academy"].empty_label = None

    def clean_indicator_code(self):
        code = self.cleaned_data["indicator_code"].strip().upper()
        if not Indicator.objects.filter(code=code).exists():
            raise forms.ValidationError(
                gettext("« %(code)s » n'est pas un indicateur du référentiel.") % {"code": code}
            )
        return code

    def clean(self):
        cleaned = super().clean()
        academy = cleaned.get("academy") or self.instance.academy
        code, title = cleaned.get("indicator_code"), cleaned.get("title")
        if academy and code and title:
            # Compared in Python: the database's case-insensitive match ignores accents' case on SQLite.
            titles = (
                SuggestedAction.objects.filter(Q(academy=academy) | Q(academy__isnull=True), indicator_code=code)
                .exclude(pk=self.instance.pk)
                .values_list("title", flat=True)
            )
            if normalised_title(title) in {normalised_title(t) for t in titles}:
                self.add_error("title", gettext("Cet indicateur a déjà une suggestion de ce titre."))
        return cleaned


class OriginFilter(admin.SimpleListFilter):
    """Shipped with Pilotis, or added by which académie: one filter rather than « empty » and
    « académie » side by side."""

    title = _("origine")
    parameter_name = "origine"

    def lookups(self, request, model_admin):
        academies = Academy.objects.filter(
            pk__in=SuggestedAction.objects.exclude(academy=None).values("academy")
        ).order_by("name")
        return [("pilotis", _("Livrée avec Pilotis")), *((str(a.pk), str(a)) for a in academies)]

    def queryset(self, request, queryset):
        if self.value() == "pilotis":
            return queryset.filter(academy__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(academy_id=int(self.value()))
        return queryset


class DomainFilter(admin.SimpleListFilter):
    title = _("domaine")
    parameter_name = "domaine"

    def lookups(self, request, model_admin):
        codes = Indicator.objects.values_list("domain__code", "domain__title", "domain__position").distinct()
        return [(code, f"{code} — {title}") for code, title, _position in sorted(set(codes), key=lambda c: c[2])]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(indicator_code__startswith=f"{self.value()}.")
        return queryset


@admin.register(SuggestedAction)
class SuggestedActionAdmin(admin.ModelAdmin):
    form = SuggestedActionForm
    list_display = ["indicator_code", "position", "title", "origin", "offered"]
    list_display_links = ["title"]
    list_filter = ["is_active", OriginFilter, DomainFilter]
    search_fields = ["indicator_code", "title", "description"]
    ordering = ["indicator_code", "academy", "position", "pk"]
    list_select_related = ["academy"]
    list_per_page = 50

    NOTE = _(
        "Les suggestions livrées avec Pilotis (sans académie) sont rechargées depuis le fichier "
        "plans/data/suggestions.yaml par la commande load_suggestions : elles ne se modifient pas "
        "ici. Une académie ajoute et modifie ses propres suggestions, que le rechargement ne touche "
        "pas. Pour ne plus proposer une suggestion, décochez « proposée aux établissements » : elle "
        "n'est jamais supprimée, les actions qui en sont nées y renvoient."
    )

    def get_fieldsets(self, request, obj=None):
        fields = ["academy", *CONTENT] if obj is None else [*CONTENT, "origin", "created"]
        return [(None, {"fields": fields, "description": self.NOTE})]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.academy_id is None:
            return [*CONTENT, "origin", "created"]
        # An académie's suggestion stays that académie's.
        return ["origin", "created"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.academy_id is None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("origine"), ordering="academy")
    def origin(self, suggestion):
        return suggestion.academy or gettext("Livrée avec Pilotis")

    @admin.display(description=_("proposée"), boolean=True, ordering="is_active")
    def offered(self, suggestion):
        return suggestion.is_active

    @admin.display(description=_("créée"))
    def created(self, suggestion):
        when = formats.moment(suggestion.created_at)
        return f"{when} — {suggestion.created_by}" if suggestion.created_by_id else when

    def save_model(self, request, obj, form, change):
        before = {name: form.initial.get(name) for name in form.changed_data} if change else None
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change or form.changed_data:
            after = {name: form.cleaned_data.get(name) for name in form.changed_data if name != "academy"}
            after["academy"] = obj.academy.code
            record(
                AuditAction.SUGGESTIONS_CHANGED,
                actor=request.user,
                obj=obj,
                before=before,
                after=after,
                request=request,
            )


class ObjectiveInline(ReadOnlyInline):
    model = Objective
    fields = ["rank", "title", "description"]
    readonly_fields = fields
    rank = shown("position", _("rang"))
    show_change_link = True


class ObjectiveTargetInline(ReadOnlyInline):
    model = ObjectiveTarget
    fields = ["indicator", "status", "by_year"]


class ActionEventInline(ReadOnlyInline):
    model = ActionEvent
    fields = ["when", "who", "before", "after", "note"]
    readonly_fields = fields
    when = shown("at", _("le"), formats.moment)
    who = shown("by_label", _("par"))
    before = status_of("status_before", _("avant"))
    after = status_of("status_after", _("après"))


class PlanVersionInline(ReadOnlyInline):
    model = PlanVersion
    fields = ["number", "body", "adopted_on", "adopter", "recorded"]
    readonly_fields = fields
    adopter = shown("adopted_by_label", _("adoptée par"))
    recorded = shown("adopted_at", _("enregistrée le"), formats.moment)
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["establishment", "title", "first_year", "last_year", "adoption", "modified"]
    list_filter = ["first_year", "school__department__academy", "school__department"]
    search_fields = ["school__name", "school__uai", "title"]
    list_select_related = ["school"]
    fields = [
        "school",
        "title",
        "first_year",
        "last_year",
        "referential",
        "campaign",
        "adoption",
        "current_revision",
        "adopted",
        "created",
        "modified",
    ]
    inlines = [PlanVersionInline, ObjectiveInline]
    current_revision = shown("revision", _("révision"))
    adopted = shown("adopted_revision", _("révision adoptée"))
    created = when_by("created_at", "created_by", _("créé"))
    modified = shown("updated_at", _("dernière modification"), formats.moment)

    @admin.display(description=_("établissement"), ordering="school__sort_name")
    def establishment(self, plan):
        return plan.school

    @admin.display(description=_("adoption"))
    def adoption(self, plan):
        if not plan.is_adopted:
            return gettext("Non adopté")
        if plan.changed_since_adoption:
            return gettext("Adopté, modifié depuis")
        return gettext("Adopté")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "number", "body", "adopted_on", "adopter"]
    list_filter = ["body", "plan__school__department__academy"]
    search_fields = ["plan__school__name", "plan__school__uai", "adopted_by_label"]
    list_select_related = ["plan__school"]
    fields = ["plan", "number", "revision", "body", "adopted_on", "adopter", "recorded", "content"]
    revision = shown("plan_revision", _("révision du plan adoptée"))
    adopter = shown("adopted_by_label", _("adoptée par"))
    recorded = shown("adopted_at", _("enregistrée le"), formats.moment)

    @admin.display(description=_("contenu adopté"))
    def content(self, version):
        # What the council voted, as kept: never recomputed from the plan.
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>', json.dumps(version.snapshot, ensure_ascii=False, indent=2)
        )


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "rank"]
    search_fields = ["title", "plan__school__name", "plan__school__uai"]
    list_select_related = ["plan__school"]
    fields = ["plan", "rank", "title", "description"]
    inlines = [ObjectiveTargetInline]
    rank = shown("position", _("rang"))


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "status", "responsible_label", "due_on", "done_on"]
    list_filter = ["status", "payer", "school__department__academy", "school__department"]
    search_fields = ["title", "school__name", "school__uai", "responsible_label"]
    list_select_related = ["school"]
    date_hierarchy = "due_on"
    fields = [
        "plan",
        "school",
        "objective",
        "title",
        "description",
        "indicators",
        "responsible",
        "responsible_label",
        "contributors",
        "contributors_text",
        "starts_on",
        "due_on",
        "means",
        "cost",
        "payer",
        "success_criteria",
        "status",
        "done_on",
        "origin",
        "current_revision",
        "created",
        "modified",
    ]
    inlines = [ActionEventInline]
    origin = shown("suggestion", _("action suggérée d'origine"))
    current_revision = shown("revision", _("révision"))
    created = when_by("created_at", "created_by", _("créée"))
    modified = shown("updated_at", _("dernière modification"), formats.moment)


@admin.register(ActionEvent)
class ActionEventAdmin(ReadOnlyAdmin):
    list_display = ["when", "action", "who", "before", "after"]
    fields = ["action", "when", "who", "before", "after", "note"]
    when = shown("at", _("le"), formats.moment)
    who = shown("by_label", _("par"))
    before = status_of("status_before", _("avant"))
    after = status_of("status_after", _("après"))
    list_filter = ["status_after"]
    search_fields = ["action__title", "by_label", "note"]
    list_select_related = ["action"]
    date_hierarchy = "at"
