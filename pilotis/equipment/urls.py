"""The territory's pages of the equipment needs: mounted at `pilotage/besoins/` (config/urls.py)."""

from django.urls import path

from pilotis.equipment import territory_views as views

app_name = "territory_needs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.<str:fmt>", views.export, name="export"),
    path("collectivites/", views.collectivities, name="collectivities"),
    path("collectivites/departement/<str:code>/", views.collectivity_department, name="collectivity_department"),
    path("collectivites/region/<str:code>/", views.collectivity_region, name="collectivity_region"),
]
