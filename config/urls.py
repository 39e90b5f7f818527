from django.contrib import admin
from django.urls import include, path

from pilotis.accounts import views as accounts_views
from pilotis.core import views as core_views

urlpatterns = [
    path("", include("pilotis.core.urls")),
    path("", accounts_views.home, name="home"),
    path("", include("pilotis.accounts.urls")),
    path("", include("pilotis.assessments.urls")),
    path("etablissements/", include("pilotis.territories.urls")),
    path("referentiel/", include("pilotis.referential.urls")),
    path("pilotage/", include("pilotis.steering.urls")),
    path("", include("pilotis.missions.urls")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
