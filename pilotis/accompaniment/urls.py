"""The territory's pages of this app: mounted at `pilotage/accompagnement/` (config/urls.py)."""

from django.urls import path

from pilotis.accompaniment import views

app_name = "accompaniments"
urlpatterns = [
    path("", views.follow_up, name="list"),
    path("export/<str:which>.<str:fmt>", views.export, name="export"),
]
