"""Pages of one school: mounted at `etablissements/<str:uai>/accompagnement/` (config/urls.py)."""

app_name = "accompaniment"
urlpatterns = []
