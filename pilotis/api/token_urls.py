"""/compte/jetons/: « Mon compte » › « Jetons d’accès à l’API » (mounted before `compte/`)."""

from django.urls import path

from pilotis.api import converters, token_views  # noqa: F401  (converters: registers api_id)

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("nouveau/", token_views.token_create, name="create"),
    path("<api_id:pk>/revoquer/", token_views.token_revoke, name="revoke"),
]
