"""A school's members: mounted at `etablissements/<str:uai>/membres/` (config/urls.py)."""

from django.urls import path

from pilotis.accounts import views

app_name = "members"
urlpatterns = [
    path("", views.members, name="list"),
    path("inviter/", views.member_invite, name="invite"),
    path("<int:pk>/role/", views.member_change_role, name="change_role"),
    path("<int:pk>/retirer/", views.member_remove, name="remove"),
    path("<int:pk>/relancer/", views.member_resend, name="resend"),
]
