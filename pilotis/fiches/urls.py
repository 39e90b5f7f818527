"""Pages mounted at `fiches/` (config/urls.py)."""

app_name = "fiche_catalogue"
urlpatterns = []
