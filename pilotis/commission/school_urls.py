"""Pages of one school: mounted at `etablissements/<str:uai>/commission/` (config/urls.py)."""

app_name = "commission"
urlpatterns = []
