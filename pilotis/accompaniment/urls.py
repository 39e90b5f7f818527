"""The territory's pages of this app: mounted at `pilotage/accompagnement/` (config/urls.py)."""

app_name = "accompaniments"
urlpatterns = []
