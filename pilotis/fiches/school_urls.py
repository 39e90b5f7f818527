"""A school's usage fiches: mounted at `etablissements/<str:uai>/fiches/` (config/urls.py)."""

from django.urls import path

from pilotis.fiches import views

app_name = "fiches"
fiche = "<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("nouvelle/", views.create, name="create"),
    path(fiche, views.detail, name="detail"),
    path(fiche + "modifier/", views.edit, name="edit"),
    path(fiche + "nommer/", views.consent, name="consent"),
    path(fiche + "publier/", views.publish, name="publish"),
    path(fiche + "brouillon/", views.unpublish, name="unpublish"),
    path(fiche + "supprimer/", views.delete, name="delete"),
]
