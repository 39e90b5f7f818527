"""Pages of one school: mounted at `etablissements/<str:uai>/commission/` (config/urls.py)."""

from django.urls import path

from pilotis.commission import views, views_documents, views_meetings

app_name = "commission"
meeting = "reunions/<int:pk>/"
urlpatterns = [
    path("", views.home, name="home"),
    path("membres/ajouter/", views.member_add, name="member_add"),
    path("membres/<int:pk>/", views.member_edit, name="member_edit"),
    path("membres/<int:pk>/retirer/", views.member_delete, name="member_delete"),
    path("reunions/nouvelle/", views_meetings.meeting_create, name="meeting_create"),
    path(meeting, views_meetings.meeting_detail, name="meeting"),
    path(meeting + "preparer/", views_meetings.meeting_edit, name="meeting_edit"),
    path(meeting + "compte-rendu/", views_meetings.meeting_minutes, name="meeting_minutes"),
    path(meeting + "decisions/<int:decision_pk>/action/", views_meetings.decision_action, name="decision_action"),
    path(meeting + "convoquer/", views_meetings.meeting_convene, name="meeting_convene"),
    path(meeting + "valider/", views_meetings.meeting_validate, name="meeting_validate"),
    path(meeting + "rouvrir/", views_meetings.meeting_reopen, name="meeting_reopen"),
    path(meeting + "supprimer/", views_meetings.meeting_delete, name="meeting_delete"),
    path(meeting + "releve-de-decisions.pdf", views_documents.meeting_pdf, name="meeting_pdf"),
    path(meeting + "releve-de-decisions.odt", views_documents.meeting_odt, name="meeting_odt"),
]
