from django.urls import path

from pilotis.assessments import views, views_campaigns, views_edition

app_name = "assessments"
base = "etablissements/<str:uai>/schematic/<str:year>/"
urlpatterns = [
    path("etablissements/<str:uai>/schematic/", views.school_assessments, name="school_assessments"),
    path("etablissements/<str:uai>/schematic/en-cours/", views.current, name="current"),
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
    path("campagnes/", views_campaigns.campaigns, name="campaigns"),
    path("campagnes/<int:pk>/clore/", views_campaigns.campaign_close, name="campaign_close"),
    path("campagnes/<int:pk>/rouvrir/", views_campaigns.campaign_reopen, name="campaign_reopen"),
    path("campagnes/<int:pk>/supprimer/", views_campaigns.campaign_delete, name="campaign_delete"),
    path("campagnes/<int:pk>/dates/", views_campaigns.campaign_edit, name="campaign_edit"),
    path(base + "edition/", views_edition.edition, name="edition"),
    path(base + "edition/rapport.pdf", views_edition.export_pdf, name="export_pdf"),
    path(base + "edition/reponses.ods", views_edition.export_ods, name="export_ods"),
    path(base + "edition/reponses.csv", views_edition.export_csv, name="export_csv"),
]
