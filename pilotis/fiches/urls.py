"""Pages mounted at `fiches/` (config/urls.py): the académie's catalogue of usage fiches."""

from django.urls import path

from pilotis.fiches import views_catalogue as views

app_name = "fiche_catalogue"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("flux.atom", views.feed, name="feed"),
    path("export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/", views.fiche, name="fiche"),
    path("<int:pk>/mettre-en-avant", views.feature, name="feature"),
    path("<int:pk>/ne-plus-mettre-en-avant", views.unfeature, name="unfeature"),
    path("<int:pk>/retirer", views.take_down, name="take_down"),
]
