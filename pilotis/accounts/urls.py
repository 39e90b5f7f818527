from django.urls import path

from pilotis.accounts import views

app_name = "accounts"
urlpatterns = [
    path("compte/connexion/", views.login, name="login"),
    path("compte/deconnexion/", views.logout, name="logout"),
    path("compte/mot-de-passe/oubli/", views.password_reset, name="password_reset"),
    path("compte/mot-de-passe/oubli/envoye/", views.password_reset_done, name="password_reset_done"),
    path("compte/mot-de-passe/nouveau/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("compte/mot-de-passe/nouveau/termine/", views.password_reset_complete, name="password_reset_complete"),
    path("compte/mot-de-passe/changer/", views.password_change, name="password_change"),
    path("compte/", views.profile, name="profile"),
    path("compte/mes-etablissements/", views.my_schools, name="my_schools"),
    path("compte/mes-donnees.json", views.my_data, name="my_data"),
    path("etablissements/<str:uai>/membres/", views.members, name="members"),
    path("etablissements/<str:uai>/membres/inviter/", views.member_invite, name="member_invite"),
    path("etablissements/<str:uai>/membres/<int:pk>/role/", views.member_change_role, name="member_change_role"),
    path("etablissements/<str:uai>/membres/<int:pk>/retirer/", views.member_remove, name="member_remove"),
    path("etablissements/<str:uai>/membres/<int:pk>/relancer/", views.member_resend, name="member_resend"),
    path("compte/roles-territoriaux/", views.territory_roles, name="territory_roles"),
    path("compte/roles-territoriaux/ajouter/", views.territory_role_add, name="territory_role_add"),
    path("compte/roles-territoriaux/<int:pk>/retirer/", views.territory_role_remove, name="territory_role_remove"),
]
