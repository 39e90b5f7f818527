"""The académie's catalogue of missions: mounted at `missions/catalogue/` (config/urls.py)."""

from django.urls import path

from pilotis.missions import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("<int:pk>/", views.catalogue_entry, name="entry"),
]
