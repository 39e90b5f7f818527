"""Pages mounted at `pieces/` (config/urls.py)."""

app_name = "pieces"
urlpatterns = []
