"""Paths of the plan's loop back to the self-assessment, included by school_urls.py."""

from django.urls import path

from pilotis.plans import views_loop

urlpatterns = [
    path("actions/<int:pk>/indicateurs/", views_loop.indicator_updates, name="indicator_updates"),
    path(
        "actions/<int:pk>/indicateurs/<str:code>/realise/",
        views_loop.apply_indicator,
        name="apply_indicator",
    ),
]
