"""One's account, sign-in and the territory's roles: mounted at `compte/` (config/urls.py)."""

from django.urls import path

from pilotis.accounts import views
from pilotis.accounts.proconnect import views as proconnect

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login, name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("proconnect/connexion/", proconnect.start, name="proconnect_login"),
    path("proconnect/retour/", proconnect.callback, name="proconnect_callback"),
    path("mot-de-passe/oubli/", views.password_reset, name="password_reset"),
    path("mot-de-passe/oubli/envoye/", views.password_reset_done, name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("mot-de-passe/nouveau/termine/", views.password_reset_complete, name="password_reset_complete"),
    path("mot-de-passe/changer/", views.password_change, name="password_change"),
    path("", views.profile, name="profile"),
    path("mes-etablissements/", views.my_schools, name="my_schools"),
    path("mes-donnees.json", views.my_data, name="my_data"),
    path("roles-territoriaux/", views.territory_roles, name="territory_roles"),
    path("roles-territoriaux/ajouter/", views.territory_role_add, name="territory_role_add"),
    path("roles-territoriaux/<int:pk>/retirer/", views.territory_role_remove, name="territory_role_remove"),
]
