"""Every form of Pilotis is fuzzed (arbitrary Unicode, NUL, 10,000 characters: no 5xx, no NUL
stored) or named here as exempt, with the reason. A new form fails this test until it is either."""

import importlib
import inspect
import pkgutil

from django.forms import BaseForm

import pilotis

FORMS = "tests.security.test_fuzz_forms"
PLANS = "tests.security.test_fuzz_plan_forms"
SCHOOL = "tests.security.test_fuzz_school_forms"
SERVICES = "tests.digital_services.test_fuzz"

# The form → the property-based test that posts arbitrary values to it (module, function).
FUZZED = {
    "pilotis.api.forms.TokenForm": (SCHOOL, "test_api_token_form"),
    "pilotis.accompaniment.forms.DeleteForm": (PLANS, "test_entry_delete_confirmation"),
    "pilotis.accompaniment.forms.EntryForm": (PLANS, "test_entry_forms"),
    "pilotis.accompaniment.forms.TerritoryFilterForm": (PLANS, "test_follow_up_filters"),
    "pilotis.accounts.forms.ChangeRoleForm": (FORMS, "test_change_role_form"),
    "pilotis.accounts.forms.InviteMemberForm": (FORMS, "test_invite_form"),
    "pilotis.accounts.forms.LoginForm": (FORMS, "test_login_form"),
    "pilotis.accounts.forms.PasswordChangeForm": (FORMS, "test_password_change_form"),
    "pilotis.accounts.forms.PasswordResetForm": (FORMS, "test_password_reset_form"),
    "pilotis.accounts.forms.SetPasswordForm": (SCHOOL, "test_set_password_form"),
    "pilotis.accounts.forms.TerritoryRoleForm": (FORMS, "test_territory_role_form"),
    "pilotis.assessments.forms.AnswerForm": (FORMS, "test_answer_form"),
    "pilotis.assessments.forms.CampaignDatesForm": (FORMS, "test_campaign_dates_form"),
    "pilotis.assessments.forms.CampaignForm": (FORMS, "test_campaign_form"),
    "pilotis.commission.forms.DecisionForm": (PLANS, "test_minutes_form"),
    "pilotis.commission.forms.ItemForm": (PLANS, "test_meeting_agenda_form"),
    "pilotis.commission.forms.MeetingForm": (PLANS, "test_meeting_create_form"),
    "pilotis.commission.forms.MemberForm": (PLANS, "test_member_forms"),
    "pilotis.commission.forms.MinutesForm": (PLANS, "test_minutes_form"),
    "pilotis.commission.forms.RevisionForm": (PLANS, "test_convocation_validation_and_reopening"),
    "pilotis.digital_services.forms.KindFilterForm": (SCHOOL, "test_digital_services_filter"),
    "pilotis.digital_services.forms.ServiceForm": (SERVICES, "test_the_form_takes_anything_without_a_server_error"),
    "pilotis.equipment.forms.CollectivityForm": (SCHOOL, "test_collectivity_form_and_territory_filters"),
    "pilotis.equipment.forms.NeedForm": (SCHOOL, "test_need_forms"),
    "pilotis.equipment.forms.RankForm": (SCHOOL, "test_need_state_and_rank_forms"),
    "pilotis.equipment.forms.StateForm": (SCHOOL, "test_need_state_and_rank_forms"),
    "pilotis.equipment.forms.TerritoryFilterForm": (SCHOOL, "test_collectivity_form_and_territory_filters"),
    "pilotis.evidence.forms.FileForm": (SCHOOL, "test_evidence_forms"),
    "pilotis.evidence.forms.LinkForm": (SCHOOL, "test_evidence_forms"),
    "pilotis.evidence.forms.TargetForm": (SCHOOL, "test_evidence_forms"),
    "pilotis.fiches.catalogue.CatalogueFilterForm": (SCHOOL, "test_fiche_catalogue_filters"),
    "pilotis.fiches.forms.FicheForm": (SCHOOL, "test_fiche_forms"),
    "pilotis.missions.forms.CatalogueEntryAddForm": (FORMS, "test_send_back_and_catalogue_forms"),
    "pilotis.missions.forms.CatalogueEntryChangeForm": (FORMS, "test_catalogue_entry_change_form"),
    "pilotis.missions.forms.DesignationChangeForm": (FORMS, "test_designation_change_end_and_presentations_forms"),
    "pilotis.missions.forms.DesignationEndForm": (FORMS, "test_designation_change_end_and_presentations_forms"),
    "pilotis.missions.forms.DesignationForm": (FORMS, "test_designation_form"),
    "pilotis.missions.forms.LetterForm": (FORMS, "test_letter_form"),
    "pilotis.missions.forms.PresentationsForm": (FORMS, "test_designation_change_end_and_presentations_forms"),
    "pilotis.missions.forms.SendBackForm": (FORMS, "test_send_back_and_catalogue_forms"),
    "pilotis.missions.network.NetworkForm": (FORMS, "test_trends_and_network_filters"),
    "pilotis.news.forms.NewsForm": (SCHOOL, "test_news_forms"),
    "pilotis.newsletters.forms.ListAddressForm": (SCHOOL, "test_newsletter_settings_forms"),
    "pilotis.newsletters.forms.NewsletterForm": (SCHOOL, "test_newsletter_edit_form"),
    "pilotis.newsletters.forms.ProofreadForm": (SCHOOL, "test_newsletter_proofread_form"),
    "pilotis.newsletters.forms.RhythmForm": (SCHOOL, "test_newsletter_settings_forms"),
    "pilotis.plans.forms.ActionForm": (PLANS, "test_action_forms"),
    "pilotis.plans.forms.AdoptForm": (PLANS, "test_adopt_confirmation_form"),
    "pilotis.plans.forms.CarryOverForm": (PLANS, "test_carry_over_form"),
    "pilotis.plans.forms.ObjectiveForm": (PLANS, "test_objective_forms"),
    "pilotis.plans.forms.PlanForm": (PLANS, "test_plan_edit_form"),
    "pilotis.plans.forms.PrepareForm": (PLANS, "test_prepare_form"),
    "pilotis.plans.forms.StatusForm": (PLANS, "test_action_status_form"),
    "pilotis.plans.views_loop.ApplyForm": (PLANS, "test_loop_apply_form"),
    "pilotis.steering.forms.BoardForm": (PLANS, "test_steering_plans_filters"),
    "pilotis.steering.forms.IndicatorsForm": (FORMS, "test_dashboard_filters"),
    "pilotis.steering.forms.MaturityForm": (FORMS, "test_dashboard_filters"),
    "pilotis.steering.forms.ProgressForm": (FORMS, "test_dashboard_filters"),
    "pilotis.steering.forms.ReminderForm": (FORMS, "test_reminder_form"),
    "pilotis.steering.forms.TrendsForm": (FORMS, "test_trends_and_network_filters"),
    "pilotis.support.forms.AttachmentForm": (SCHOOL, "test_support_portal_done_and_attachment_forms"),
    "pilotis.support.forms.ChannelForm": (SCHOOL, "test_support_channel_and_route_forms"),
    "pilotis.support.forms.PortalDoneForm": (SCHOOL, "test_support_portal_done_and_attachment_forms"),
    "pilotis.support.forms.RequestForm": (SCHOOL, "test_support_request_forms"),
    "pilotis.support.forms.RouteForm": (SCHOOL, "test_support_channel_and_route_forms"),
    "pilotis.territories.forms.SchoolFilterForm": (FORMS, "test_school_search"),
    "pilotis.workshops.forms.AttendanceForm": (SCHOOL, "test_workshop_forms"),
    "pilotis.workshops.forms.SchoolYearForm": (SCHOOL, "test_workshop_forms"),
    "pilotis.workshops.forms.WorkshopForm": (SCHOOL, "test_workshop_forms"),
}

# The form → why no property-based test posts to it.
EXEMPT = {
    "pilotis.core.forms.PilotisForm": "the base of every form: never bound alone, its subclasses are fuzzed",
    "pilotis.missions.forms.CatalogueEntryForm": "the base of the catalogue's add and change forms, both fuzzed",
    "pilotis.missions.forms.RevisionForm": "the base of the letter's forms (send back, presentations, letter), all fuzzed",
    "pilotis.assessments.admin.CampaignAdminForm": "Django's admin, for superusers only; its writes go through the same model validation",
    "pilotis.plans.admin.SuggestedActionForm": "Django's admin, for superusers only; the catalogue of suggestions is shipped data",
}


def form_classes() -> set[str]:
    """Every form class defined in pilotis (each module imported, then BaseForm's subclasses)."""
    for module in pkgutil.walk_packages(pilotis.__path__, "pilotis."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = set(), [BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("pilotis."):
                found.add(f"{subclass.__module__}.{subclass.__qualname__}")
    return found


def test_every_form_is_fuzzed_or_exempt_with_a_reason():
    found = form_classes()
    missing = sorted(found - FUZZED.keys() - EXEMPT.keys())
    assert not missing, f"forms neither fuzzed nor exempt (add a property-based test, then list it here): {missing}"
    gone = sorted((FUZZED.keys() | EXEMPT.keys()) - found)
    assert not gone, f"listed here, but no such form any more: {gone}"
    assert not FUZZED.keys() & EXEMPT.keys()
    assert all(reason.strip() for reason in EXEMPT.values())


def test_each_named_fuzz_test_exists_and_is_property_based():
    for form, (module, name) in FUZZED.items():
        test = getattr(importlib.import_module(module), name, None)
        assert callable(test), f"{form}: {module}.{name} does not exist"
        # Hypothesis marks what it drives; the one-field-at-a-time tests drive it from inside.
        driven = getattr(test, "is_hypothesis_test", False) or "@given(" in inspect.getsource(test)
        assert driven, f"{form}: {module}.{name} is not a property-based test"
