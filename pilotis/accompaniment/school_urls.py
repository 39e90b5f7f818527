"""Pages of one school: mounted at `etablissements/<str:uai>/accompagnement/` (config/urls.py)."""

from django.urls import path

from pilotis.accompaniment import views

app_name = "accompaniment"
urlpatterns = [
    path("", views.log, name="log"),
    path("ajouter/", views.add, name="add"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("partage/", views.shared, name="shared"),
]
