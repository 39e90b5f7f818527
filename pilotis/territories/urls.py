"""The territory's list of schools: mounted at `etablissements/` (config/urls.py)."""

from django.urls import path

from pilotis.territories import views

app_name = "schools"
urlpatterns = [path("", views.school_list, name="list")]
