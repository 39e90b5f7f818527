"""Campaigns and assessments in the admin, to repair a mistake: every change goes through the
services (their rules and audit rows); what only a service may change is read-only here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotis.assessments import campaigns
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.admin import ReadOnlyAdmin


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["academy", "school_year", "referential", "opens_on", "closes_on"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            if self.instance.pk is None:
                campaigns.check_dates(data["school_year"], data["opens_on"], data["closes_on"])
            else:
                campaigns.check_new_dates(self.instance, data["opens_on"], data["closes_on"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["school_year", "academy", "referential", "opens_on", "closes_on", "phase_label", "closed_at"]
    list_filter = ["academy", "school_year", "state"]
    list_select_related = ["academy", "referential"]
    actions = ["close_campaigns", "reopen_campaigns"]

    @admin.display(description=gettext_lazy("état"))
    def phase_label(self, obj):
        return obj.get_phase_display()

    def get_readonly_fields(self, request, obj=None):
        # Once created, only the dates change here (campaigns.change_campaign_dates); the state
        # changes by the actions « Clore » and « Rouvrir », which call the services too.
        if obj is None:
            return []
        return ["academy", "school_year", "referential", "phase_label", "closed_at", "created_by", "created_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["academy", "school_year", "referential", "opens_on", "closes_on"]
        return ["academy", "school_year", "referential", "opens_on", "closes_on", "phase_label", "closed_at",
                "created_by", "created_at"]  # fmt: skip

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            campaigns.change_campaign_dates(
                obj, opens_on=data["opens_on"], closes_on=data["closes_on"], by=request.user, request=request
            )
        else:
            created = campaigns.open_campaign(
                academy=data["academy"],
                school_year=data["school_year"],
                referential=data["referential"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                by=request.user,
                request=request,
            )
            obj.pk = created.pk

    def delete_view(self, request, object_id, extra_context=None):
        campaign = self.get_object(request, object_id)
        refusal = campaigns.deletion_refusal(campaign) if campaign is not None else ""
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect("admin:assessments_campaign_change", campaign.pk)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        campaigns.delete_campaign(obj, by=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for campaign in queryset:
            try:
                campaigns.delete_campaign(campaign, by=request.user, request=request)
            except ValidationError as exc:
                self.message_user(request, f"{campaign} : {' '.join(exc.messages)}", messages.ERROR)

    @admin.action(description=gettext_lazy("Clore les campagnes choisies"))
    def close_campaigns(self, request, queryset):
        for campaign in queryset:
            campaigns.close_campaign(campaign, by=request.user, request=request)
        self.message_user(request, _("Campagnes closes."), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Rouvrir les campagnes choisies"))
    def reopen_campaigns(self, request, queryset):
        for campaign in queryset:
            try:
                campaigns.reopen_campaign(campaign, by=request.user, request=request)
            except ValidationError as exc:
                self.message_user(request, f"{campaign} : {' '.join(exc.messages)}", messages.WARNING)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Read-only: answers, validation and reopening are the school's, through the services."""

    list_display = [
        "school",
        "campaign",
        "state",
        "answered_count",
        "validated_by_label",
        "validated_at",
        "last_activity_at",
    ]
    list_filter = ["state", "campaign__school_year", "campaign__academy"]
    list_select_related = ["school", "campaign__academy"]
    search_fields = ["school__uai", "school__name"]
