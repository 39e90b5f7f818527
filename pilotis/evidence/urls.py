"""Pages mounted at `pieces/` (config/urls.py): a piece's file, whoever's school it is, for whoever
reads what it is attached to."""

from django.urls import path

from pilotis.evidence import views

app_name = "pieces"
urlpatterns = [
    path("<int:pk>/telecharger/", views.download, name="download"),
]
