"""Pages mounted at `etablissements/<str:uai>/equipement/` (config/urls.py)."""

from django.urls import path

from pilotis.equipment import views

app_name = "equipment"
need = "<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("nouveau/", views.create, name="create"),
    path("priorites/", views.rank, name="rank"),
    path("demande/<str:funder>.pdf", views.request_pdf, name="request_pdf"),
    path("demande/<str:funder>.ods", views.request_ods, name="request_ods"),
    path("demande/<str:funder>/transmettre/", views.transmit, name="transmit"),
    path(need, views.detail, name="detail"),
    path(need + "modifier/", views.edit, name="edit"),
    path(need + "etat/", views.change_state, name="change_state"),
    path(need + "supprimer/", views.delete, name="delete"),
]
