"""The territory's pages of this app: mounted at `pilotage/plans/` (config/urls.py)."""

app_name = "territory_plans"
urlpatterns = []
