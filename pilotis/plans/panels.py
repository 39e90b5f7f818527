"""The plan's block on the school's page (core.panels)."""
