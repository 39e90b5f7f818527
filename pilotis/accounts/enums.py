# The role codes live in core (permission plumbing every app reads); re-exported for this app.
from pilotis.core.roles import SchoolRole, TerritoryRoleKind

__all__ = ["SchoolRole", "TerritoryRoleKind"]
