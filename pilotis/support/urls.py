"""Pages mounted at `assistance/` (config/urls.py): the académies' channels and routing table."""

from django.urls import path

from pilotis.support import views_routing as views

app_name = "support_routing"
academy = "<int:academy_id>/"
urlpatterns = [
    path("", views.home, name="home"),
    path(academy, views.academy, name="academy"),
    path(academy + "canaux/nouveau/", views.channel_create, name="channel_create"),
    path(academy + "canaux/<int:pk>/", views.channel_edit, name="channel_edit"),
    path(academy + "routes/ajouter/", views.route_add, name="route_add"),
    path(academy + "routes/<int:pk>/supprimer/", views.route_delete, name="route_delete"),
]
