"""Every URL's first segment names its section, and a school's pages name their app second.

`/etablissements/<uai>/` is mounted once: each app that has pages about one school lists its
`school_urls.py` in `school_pages` under its own segment (`/etablissements/<uai>/mission/…` is
`pilotis/missions/school_urls.py`). Every other section is mounted below at its own prefix.
"""

from django.contrib import admin
from django.urls import include, path

from pilotis.accounts import views as accounts_views
from pilotis.core import views as core_views

# /etablissements/<uai>/<segment>/…: the segment names the app (ARCHITECTURE.md, « URLs »).
school_pages = [
    path("", include("pilotis.territories.school_urls")),
    path("schematic/", include("pilotis.assessments.school_urls")),
    path("mission/", include("pilotis.missions.school_urls")),
    path("membres/", include("pilotis.accounts.school_urls")),
    path("plan/", include("pilotis.plans.school_urls")),
    path("commission/", include("pilotis.commission.school_urls")),
    path("accompagnement/", include("pilotis.accompaniment.school_urls")),
    path("fiches/", include("pilotis.fiches.school_urls")),
    path("ateliers/", include("pilotis.workshops.school_urls")),
    path("pieces/", include("pilotis.evidence.school_urls")),
    path("equipement/", include("pilotis.equipment.school_urls")),
    path("services-numeriques/", include("pilotis.digital_services.school_urls")),
    path("assistance/", include("pilotis.support.school_urls")),
    path("flash-infos/", include("pilotis.newsletters.school_urls")),
]

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("sante/", include("pilotis.core.urls")),
    # Before `compte/`: « Mon compte » › « Jetons d'accès à l'API » is the api app's (accounts may not import it).
    path("compte/jetons/", include("pilotis.api.token_urls")),
    path("compte/", include("pilotis.accounts.urls")),
    path("etablissements/", include("pilotis.territories.urls")),
    path("etablissements/<str:uai>/", include(school_pages)),
    path("campagnes/", include("pilotis.assessments.urls")),
    path("missions/catalogue/", include("pilotis.missions.catalogue_urls")),
    path("reseau/", include("pilotis.missions.network_urls")),
    path("referentiel/", include("pilotis.referential.urls")),
    path("fiches/", include("pilotis.fiches.urls")),
    path("pieces/", include("pilotis.evidence.urls")),
    path("actualites/", include("pilotis.news.urls")),
    path("assistance/", include("pilotis.support.urls")),
    path("pilotage/accompagnement/", include("pilotis.accompaniment.urls")),
    path("pilotage/besoins/", include("pilotis.equipment.urls")),
    path("pilotage/", include("pilotis.steering.urls")),
    path("api/", include("pilotis.api.urls")),
    path("telechargements/", include("pilotis.core.export_urls")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
