"""Pages mounted at `etablissements/<str:uai>/ateliers/` (config/urls.py)."""

app_name = "workshops"
urlpatterns = []
