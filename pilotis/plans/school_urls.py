"""Pages of one school: mounted at `etablissements/<str:uai>/plan/` (config/urls.py)."""

app_name = "plans"
urlpatterns = []
