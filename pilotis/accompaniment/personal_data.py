"""What the accompaniment log holds about a person (core.personal_data)."""
