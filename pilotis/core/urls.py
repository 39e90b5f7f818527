"""The health check: mounted at `sante/` (config/urls.py)."""

from django.urls import path

from pilotis.core import views

app_name = "core"
urlpatterns = [path("", views.health, name="health")]
