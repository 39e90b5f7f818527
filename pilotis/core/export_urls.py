"""« Mes exports »: mounted at `telechargements/` (config/urls.py)."""

from django.urls import path

from pilotis.core import views_exports

app_name = "exports"
urlpatterns = [
    path("", views_exports.index, name="index"),
    path("preparer/", views_exports.start, name="start"),
    path("<uuid:export_id>/", views_exports.job, name="job"),
    path("<uuid:export_id>/fichier/", views_exports.download, name="download"),
]
