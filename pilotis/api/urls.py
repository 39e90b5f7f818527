"""/api/v1/: the read-only API, its schema and its documentation pages (ARCHITECTURE.md, « The open
API »). Plain paths, no router: one name per endpoint, no `.json` suffix routes."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pilotis.api import (
    converters,  # noqa: F401  (registers api_id and api_uai)
    views,
)
from pilotis.api.docs import docs_view, schema_view

app_name = "api"

urlpatterns = [
    path("v1/schools/", views.endpoint(views.SchoolList), name="schools"),
    path("v1/schools/<api_uai:uai>/", views.endpoint(views.SchoolDetail), name="school"),
    path("v1/schools/<api_uai:uai>/assessments/", views.endpoint(views.AssessmentList), name="assessments"),
    path(
        "v1/schools/<api_uai:uai>/assessments/<api_id:campaign>/",
        views.endpoint(views.AssessmentDetail),
        name="assessment",
    ),
    path("v1/schools/<api_uai:uai>/plans/", views.endpoint(views.PlanList), name="plans"),
    path("v1/schools/<api_uai:uai>/plans/<api_id:plan>/actions/", views.endpoint(views.ActionList), name="actions"),
    path("v1/campaigns/", views.endpoint(views.CampaignList), name="campaigns"),
    path("v1/campaigns/<api_id:campaign>/figures/", views.endpoint(views.Figures), name="figures"),
    path("v1/campaigns/<api_id:campaign>/trends/", views.endpoint(views.Trends), name="trends"),
    path("v1/fiches/", views.endpoint(views.FicheList), name="fiches"),
    path("v1/schema/", schema_view(SpectacularAPIView), name="schema"),
    path("v1/docs/", docs_view(SpectacularSwaggerSplitView), name="docs"),
]
