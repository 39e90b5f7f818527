"""What the commission's record says beside the indicators that ask for it (core.panels.indicator_notes)."""
