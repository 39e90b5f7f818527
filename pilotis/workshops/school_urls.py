"""Pages mounted at `etablissements/<str:uai>/ateliers/` (config/urls.py)."""

from django.urls import path

from pilotis.workshops import views

app_name = "workshops"
session = "<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("nouvelle-seance/", views.create, name="create"),
    path(session, views.detail, name="detail"),
    path(session + "modifier/", views.edit, name="edit"),
    path(session + "presences/", views.attendance, name="attendance"),
    path(session + "supprimer/", views.delete, name="delete"),
    path(session + "feuille-emargement.pdf", views.sheet_pdf, name="sheet_pdf"),
]
