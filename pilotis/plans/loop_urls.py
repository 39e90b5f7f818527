"""Paths of the plan's loop back to the self-assessment, included by school_urls.py."""

urlpatterns = []
