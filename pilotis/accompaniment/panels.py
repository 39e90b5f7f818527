"""The accompaniment entries shared with the school, on its page (core.panels)."""
