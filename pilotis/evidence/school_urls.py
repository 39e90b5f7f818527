"""Pages mounted at `etablissements/<str:uai>/pieces/` (config/urls.py)."""

app_name = "evidence"
urlpatterns = []
