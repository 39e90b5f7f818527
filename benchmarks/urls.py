from django.urls import include, path

from benchmarks import views
from config import urls as project_urls

urlpatterns = [
    path("bench/upsert/", views.bare_upsert, name="bench_bare_upsert"),
    path("", include(project_urls)),
]

# The project's error pages, as under config.urls.
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
