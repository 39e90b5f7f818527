"""/api/v1/: read-only, paginated, JSON. Every endpoint starts from the apps' `for_user`
querysets, as the pages do: the API shows a person what the pages show them, no more.

A school in the address is resolved within the caller's scope (`School.objects.for_user`), and
what hangs under it within that school: another school's row is a 404, journaled as the pages'
refusals are (`core.guards.get_or_refuse`). The territory's figures are the dashboards'
(`steering.figures` over `steering.perms.departments_for`), for whoever follows a territory.
"""

from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from pilotis.api import serializers as s
from pilotis.assessments.models import Assessment, Campaign
from pilotis.core.guards import get_or_refuse, name_guard, refuse
from pilotis.fiches.models import Fiche
from pilotis.plans.models import Action, Plan
from pilotis.steering import figures
from pilotis.steering.perms import departments_for
from pilotis.territories.models import School
from pilotis.territories.perms import follows_territory

ERRORS = {
    400: s.Error,
    401: s.Error,
    403: s.Error,
    404: s.Error,
    406: s.Error,
    429: s.Error,
    503: s.Error,
}
PAGING = {"page", "page_size"}


def endpoint(view_class):
    """The view of `view_class`, open to token callers (no sign-in redirect: DRF answers 401 in
    JSON) and carrying its guard's name for the permission matrix."""
    return name_guard(login_not_required(view_class.as_view()), view_class.guard)


class ApiView(GenericAPIView):
    guard = "api:read"
    filters = None  # the query parameters' serializer; any other parameter is a 400

    def parameters(self) -> dict:
        """The query's filters, checked: an unknown parameter or a bad value is a 400 that names it."""
        allowed = set(self.filters().fields) if self.filters else set()
        if self.pagination_class is not None:
            allowed |= PAGING
        unknown = sorted(set(self.request.query_params) - allowed)
        if unknown:
            raise ValidationError({name[:50]: [_("Paramètre inconnu.")] for name in unknown[:10]})
        if not self.filters:
            return {}
        checked = self.filters(data=self.request.query_params.dict())
        checked.is_valid(raise_exception=True)
        return checked.validated_data

    def school(self):
        """The school of the address, within the caller's scope (404 otherwise)."""
        return get_or_refuse(
            self.request,
            School.objects.for_user(self.request.user).select_related("department__academy"),
            what="school",
            uai=self.kwargs["uai"].upper(),
        )

    def page_of(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


# --- Schools ---------------------------------------------------------------------------------


class SchoolList(ApiView):
    filters = s.SchoolFilters

    @extend_schema(
        summary="Les établissements que vous lisez",
        parameters=[s.SchoolFilters],
        responses={200: s.SchoolSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        params = self.parameters()
        schools = School.objects.for_user(request.user).select_related("department__academy")
        if "departement" in params:
            schools = schools.filter(department__code=params["departement"])
        if "type" in params:
            schools = schools.filter(kind=params["type"])
        if params.get("q"):
            schools = schools.search(params["q"])
        return self.page_of(schools.order_by("sort_name", "uai"), s.SchoolSerializer)


class SchoolDetail(ApiView):
    guard = "school:read"
    pagination_class = None

    @extend_schema(summary="Un établissement", responses={200: s.SchoolSerializer, **ERRORS})
    def get(self, request, uai):
        self.parameters()
        return Response(s.SchoolSerializer(self.school()).data)


# --- Campaigns and self-assessments -------------------------------------------------------------


class CampaignList(ApiView):
    @extend_schema(
        summary="Les campagnes SCHÉMATIC de votre territoire",
        responses={200: s.CampaignSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        self.parameters()
        campaigns = (
            Campaign.objects.for_user(request.user)
            .select_related("academy", "referential")
            .order_by("-school_year", "academy__name", "pk")
        )
        return self.page_of(campaigns, s.CampaignSerializer)


class AssessmentList(ApiView):
    guard = "school:read"

    @extend_schema(
        summary="Les autodiagnostics d’un établissement, un par campagne",
        responses={200: s.AssessmentSummarySerializer(many=True), **ERRORS},
    )
    def get(self, request, uai):
        self.parameters()
        school = self.school()
        assessments = (
            Assessment.objects.for_user(request.user)
            .filter(school=school)
            .select_related("campaign")
            .order_by("-campaign__school_year", "pk")
        )
        return self.page_of(assessments, s.AssessmentSummarySerializer)


class AssessmentDetail(ApiView):
    guard = "school:read"
    pagination_class = None

    @extend_schema(
        summary="L’autodiagnostic d’un établissement pour une campagne : réponses, niveaux, validation",
        responses={200: s.AssessmentSerializer, **ERRORS},
    )
    def get(self, request, uai, campaign):
        self.parameters()
        school = self.school()
        assessment = get_or_refuse(
            request,
            Assessment.objects.for_user(request.user).filter(school=school).select_related("campaign"),
            what="assessment",
            campaign_id=campaign,
        )
        assessment.answers_list = list(
            assessment.answers.select_related("indicator").order_by(
                "indicator__domain__position", "indicator__level", "indicator__position"
            )
        )
        data = s.AssessmentSummarySerializer(assessment).data
        data["answers"] = s.AnswerSerializer(assessment.answers_list, many=True).data
        return Response(data)


# --- Plans and actions ----------------------------------------------------------------------------


class PlanList(ApiView):
    guard = "school:read"

    @extend_schema(
        summary="Les plans d’actions d’un établissement",
        responses={200: s.PlanSerializer(many=True), **ERRORS},
    )
    def get(self, request, uai):
        self.parameters()
        school = self.school()
        plans = (
            Plan.objects.for_user(request.user)
            .filter(school=school)
            .select_related("referential")
            .order_by("-first_year", "pk")
        )
        return self.page_of(plans, s.PlanSerializer)


class ActionList(ApiView):
    guard = "school:read"
    filters = s.ActionFilters

    @extend_schema(
        summary="Les actions d’un plan d’actions",
        parameters=[s.ActionFilters],
        responses={200: s.ActionSerializer(many=True), **ERRORS},
    )
    def get(self, request, uai, plan):
        params = self.parameters()
        school = self.school()
        plan = get_or_refuse(request, Plan.objects.for_user(request.user).filter(school=school), what="plan", pk=plan)
        actions = (
            Action.objects.for_user(request.user)
            .filter(plan=plan)
            .select_related("objective")
            .prefetch_related("indicators")
            .order_by("position", "pk")
        )
        if "status" in params:
            actions = actions.filter(status=params["status"])
        return self.page_of(actions, s.ActionSerializer)


# --- Usage fiches ---------------------------------------------------------------------------------


class FicheList(ApiView):
    @extend_schema(
        summary="Les fiches d’usage publiées au catalogue de vos académies",
        description="Les mêmes champs que l’export JSON du catalogue ; les auteurs n’y sont pas nommés.",
        responses={200: s.FicheSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        self.parameters()
        fiches = (
            Fiche.objects.for_user(request.user)
            .in_catalogue()
            .select_related("school__department", "academy")
            .prefetch_related("terms")
            .order_by("-published_at", "-pk")
        )
        return self.page_of(fiches, s.FicheSerializer)


# --- The territory's figures ----------------------------------------------------------------------


class TerritoryView(ApiView):
    # The dashboards' scope: whoever follows a territory, a campaign of its académies, the
    # départements of it they follow (one of them with `departement`).

    guard = "steering:read"
    pagination_class = None

    def territory(self, campaign_pk, params):
        if not follows_territory(self.request.user):
            refuse(self.request, what=self.guard)
        campaign = get_or_refuse(
            self.request,
            Campaign.objects.for_user(self.request.user).select_related("academy", "referential"),
            what="campaign",
            pk=campaign_pk,
        )
        departments = list(departments_for(self.request.user, campaign))
        if "departement" in params:
            departments = [d for d in departments if d.code == params["departement"]]
            if not departments:
                raise ValidationError({"departement": [_("Ce département n’est pas de votre territoire.")]})
        return campaign, departments, figures.Territory.of(campaign, departments)


class Figures(TerritoryView):
    filters = s.FigureFilters

    @extend_schema(
        summary="Les chiffres du territoire pour une campagne : avancement, niveaux, indicateurs",
        parameters=[s.FigureFilters],
        responses={200: s.FiguresSerializer, **ERRORS},
    )
    def get(self, request, campaign):
        params = self.parameters()
        campaign, departments, territory = self.territory(campaign, params)
        done = figures.progress(territory)
        over = params.get("over", figures.OVER_VALIDATED)
        data = {
            "campaign": campaign,
            "departments": departments,
            "min_schools": figures.MIN_SCHOOLS,
            "over": over,
            "progress": done,
            "levels": figures.level_distribution(territory, over, done),
            "indicators": figures.indicators(territory),
        }
        return Response(s.FiguresSerializer(data).data)


class Trends(TerritoryView):
    filters = s.TrendFilters

    @extend_schema(
        summary="L’évolution du territoire : ses chiffres dans chaque campagne de l’académie jusqu’à celle-ci",
        parameters=[s.TrendFilters],
        responses={200: s.TrendsSerializer, **ERRORS},
    )
    def get(self, request, campaign):
        params = self.parameters()
        campaign, departments, territory = self.territory(campaign, params)
        data = {
            "campaign": campaign,
            "departments": departments,
            "min_schools": figures.MIN_SCHOOLS,
            "campaigns": figures.trends(territory),
        }
        return Response(s.TrendsSerializer(data).data)
