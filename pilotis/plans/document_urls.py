"""Paths of the plan's documents, included by school_urls.py (under `etablissements/<uai>/plan/`)."""

from django.urls import path

from pilotis.plans import views_documents

plan = "<int:pk>/"
version = "<int:pk>/versions/<int:number>/"
urlpatterns = [
    path(plan + "plan.pdf", views_documents.plan_pdf, name="plan_pdf"),
    path(plan + "plan.odt", views_documents.plan_odt, name="plan_odt"),
    path(version + "plan.pdf", views_documents.version_pdf, name="version_pdf"),
    path(version + "plan.odt", views_documents.version_odt, name="version_odt"),
    path(plan + "actions.<str:fmt>", views_documents.actions_export, name="actions_export"),
]
