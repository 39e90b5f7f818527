"""The action plan of one school: mounted at `etablissements/<str:uai>/plan/` (config/urls.py).

Its documents (PDF, ODT, ODS, CSV) and the loop back to the self-assessment (updating the
indicators an action served) keep their paths in modules of their own, included here without a
namespace of their own, so that every name is `plans:…`."""

from django.urls import include, path

app_name = "plans"
urlpatterns = [
    path("", include("pilotis.plans.document_urls")),
    path("", include("pilotis.plans.loop_urls")),
]
