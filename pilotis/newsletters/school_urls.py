"""Pages mounted at `etablissements/<str:uai>/flash-infos/` (config/urls.py)."""

from django.urls import path

from pilotis.newsletters import views

app_name = "newsletters"
issue = "<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("preparer/", views.prepare, name="prepare"),
    path("reglages/", views.settings_page, name="settings"),
    path("reglages/adresses/<int:pk>/retirer/", views.remove_address, name="remove_address"),
    path("actualites/<int:pk>/reprendre/", views.take_news, name="take_news"),
    path(issue, views.detail, name="detail"),
    path(issue + "modifier/", views.edit, name="edit"),
    path(issue + "relecture/", views.ask_review, name="ask_review"),
    path(issue + "relu/", views.proofread, name="proofread"),
    path(issue + "publier/", views.publish, name="publish"),
    path(issue + "supprimer/", views.delete, name="delete"),
    path(issue + "reprendre-envoi/", views.resume, name="resume"),
    path(issue + "flash-infos.pdf", views.pdf, name="pdf"),
]
