"""The territory's network of RUPN: mounted at `reseau/` (config/urls.py)."""

from django.urls import path

from pilotis.missions import views_network

app_name = "network"
urlpatterns = [
    path("", views_network.network, name="list"),
    path("export.<str:fmt>", views_network.network_export, name="export"),
]
