"""What the commission holds about a person (core.personal_data)."""
