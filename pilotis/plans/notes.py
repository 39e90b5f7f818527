"""What the plan says beside an indicator and in the synthesis (core.panels registries)."""
