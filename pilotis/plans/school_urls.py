"""The action plan of one school: mounted at `etablissements/<str:uai>/plan/` (config/urls.py).

Its documents (PDF, ODT, ODS, CSV) and the loop back to the self-assessment (updating the
indicators an action served) keep their paths in modules of their own, included here without a
namespace of their own, so that every name is `plans:…`."""

from django.urls import include, path

from pilotis.plans import views, views_actions

app_name = "plans"
plan = "<int:pk>/"
action = "actions/<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("preparer/", views.prepare, name="prepare"),
    path(plan, views.detail, name="detail"),
    path(plan + "modifier/", views.edit, name="edit"),
    path(plan + "valider/", views.adopt, name="adopt"),
    path(plan + "versions/", views.versions, name="versions"),
    path(plan + "versions/<int:number>/", views.version, name="version"),
    path(plan + "objectifs/ajouter/", views.objective_add, name="objective_add"),
    path("objectifs/<int:pk>/", views.objective_edit, name="objective_edit"),
    path("objectifs/<int:pk>/supprimer/", views.objective_delete, name="objective_delete"),
    path(plan + "actions/ajouter/", views_actions.action_add, name="action_add"),
    path(action, views_actions.action_detail, name="action"),
    path(action + "modifier/", views_actions.action_edit, name="action_edit"),
    path(action + "etat/", views_actions.action_status, name="action_status"),
    path(action + "supprimer/", views_actions.action_delete, name="action_delete"),
    path(action + "reporter-ou-abandonner/", views_actions.action_carry_over, name="action_carry_over"),
    path("", include("pilotis.plans.document_urls")),
    path("", include("pilotis.plans.loop_urls")),
]
