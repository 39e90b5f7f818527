"""Pages mounted at `etablissements/<str:uai>/services-numeriques/` (config/urls.py)."""

from django.urls import path

from pilotis.digital_services import views

app_name = "digital_services"
service = "<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("nouveau/", views.create, name="create"),
    path(service + "modifier/", views.edit, name="edit"),
    path(service + "supprimer/", views.delete, name="delete"),
    path("registre.ods", views.export_ods, name="export_ods"),
]
