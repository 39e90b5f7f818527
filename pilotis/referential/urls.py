from django.urls import path

from pilotis.referential import views

app_name = "referential"
urlpatterns = [
    path("", views.version_list, name="version_list"),
    path("<str:version>/", views.version_detail, name="version_detail"),
]
