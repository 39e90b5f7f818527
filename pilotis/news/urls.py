"""/actualites/: the académie's news — its readers' list and page, its authors' list, form,
publication, sending and withdrawal."""

from django.urls import path

from pilotis.news import views

app_name = "news"
urlpatterns = [
    path("", views.index, name="index"),
    path("redaction/", views.manage, name="manage"),
    path("redaction/nouvelle/", views.create, name="create"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/publier/", views.publish, name="publish"),
    path("<int:pk>/envoi/", views.sending, name="sending"),
    path("<int:pk>/envoi/reprendre/", views.resume, name="resume"),
    path("<int:pk>/retirer/", views.withdraw, name="withdraw"),
]
