"""Pages mounted at `etablissements/<str:uai>/pieces/` (config/urls.py)."""

from django.urls import path

from pilotis.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("ajouter/", views.add, name="add"),
    path("<int:pk>/retirer/", views.remove, name="remove"),
]
