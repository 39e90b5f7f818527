"""/api/v1/: the read-only API, its schema and its documentation pages."""

app_name = "api"

urlpatterns = []
