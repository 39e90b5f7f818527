"""What the plan holds about a person (core.personal_data)."""
