"""Pages mounted at `etablissements/<str:uai>/fiches/` (config/urls.py)."""

app_name = "fiches"
urlpatterns = []
