"""One school's page: mounted at `etablissements/<str:uai>/` (config/urls.py)."""

from django.urls import path

from pilotis.territories import views

app_name = "territories"
urlpatterns = [path("", views.school_detail, name="school_detail")]
