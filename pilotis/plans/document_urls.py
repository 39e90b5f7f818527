"""Paths of the plan's documents, included by school_urls.py."""

urlpatterns = []
