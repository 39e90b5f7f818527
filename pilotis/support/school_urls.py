"""Pages mounted at `etablissements/<str:uai>/assistance/` (config/urls.py)."""

from django.urls import path

from pilotis.support import views

app_name = "support"
one = "<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("nouvelle-demande/", views.create, name="create"),
    path(one, views.detail, name="detail"),
    path(one + "modifier/", views.edit, name="edit"),
    path(one + "envoyer/", views.send, name="send"),
    path(one + "faite-sur-le-portail/", views.portal_done, name="portal_done"),
    path(one + "joindre/", views.attach, name="attach"),
    path(one + "pieces/<int:attachment_pk>/", views.attachment, name="attachment"),
    path(one + "pieces/<int:attachment_pk>/retirer/", views.attachment_remove, name="attachment_remove"),
    path(one + "clore/", views.close, name="close"),
    path(one + "supprimer/", views.delete, name="delete"),
]
