"""The académies' SCHÉMATIC campaigns (the DANE's): mounted at `campagnes/` (config/urls.py)."""

from django.urls import path

from pilotis.assessments import views_campaigns

app_name = "campaigns"
urlpatterns = [
    path("", views_campaigns.campaigns, name="list"),
    path("<int:pk>/clore/", views_campaigns.campaign_close, name="close"),
    path("<int:pk>/rouvrir/", views_campaigns.campaign_reopen, name="reopen"),
    path("<int:pk>/supprimer/", views_campaigns.campaign_delete, name="delete"),
    path("<int:pk>/dates/", views_campaigns.campaign_edit, name="edit"),
]
