"""A school's SCHÉMATIC: mounted at `etablissements/<str:uai>/schematic/` (config/urls.py)."""

from django.urls import path

from pilotis.assessments import views, views_edition

app_name = "assessments"
base = "<str:year>/"
urlpatterns = [
    path("", views.school_assessments, name="school_assessments"),
    path("en-cours/", views.current, name="current"),
    path(base, views.home, name="home"),
    path(base + "domaines/<str:code>/", views.domain, name="domain"),
    path(base + "domaines/<str:code>/enregistrer/", views.domain_save, name="domain_save"),
    path(base + "synthese/", views.synthesis, name="synthesis"),
    path(base + "indicateurs/<str:code>/historique/", views.history, name="history"),
    path(base + "indicateurs/<str:code>/reponse/", views.answer_save, name="answer_save"),
    path(base + "valider/", views.validate, name="validate"),
    path(base + "rouvrir/", views.reopen, name="reopen"),
    path(base + "pret-a-valider/", views.ready, name="ready"),
    path(base + "reprendre/", views.start_from_previous, name="start_from_previous"),
    path(base + "edition/", views_edition.edition, name="edition"),
    path(base + "edition/rapport.pdf", views_edition.export_pdf, name="export_pdf"),
    path(base + "edition/reponses.ods", views_edition.export_ods, name="export_ods"),
    path(base + "edition/reponses.csv", views_edition.export_csv, name="export_csv"),
]
