"""What a user may read, computed once per request from their roles.

`accounts` builds it (it owns the roles); lower apps such as `territories` only read it, so
they can scope their querysets without importing `accounts`.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    # school id -> role code (accounts.enums.SchoolRole) held by the user in that school
    school_roles: dict[int, str] = field(default_factory=dict)
    department_ids: frozenset[int] = frozenset()
    academy_ids: frozenset[int] = frozenset()

    @property
    def school_ids(self) -> frozenset[int]:
        return frozenset(self.school_roles)

    @property
    def is_territorial(self) -> bool:
        return self.everything or bool(self.department_ids or self.academy_ids)

    def covers(self, school_id: int, department_id: int, academy_id: int) -> bool:
        """Whether one school, already read, is within the scope: the rule of
        `School.objects.for_user`, for a guard that reads the school first (territories.guards)."""
        return (
            self.everything
            or school_id in self.school_roles
            or department_id in self.department_ids
            or academy_id in self.academy_ids
        )

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.school_roles or self.department_ids or self.academy_ids)


EMPTY_SCOPE = Scope()


def scope_of(user) -> Scope:
    """The scope of any user object; anonymous and inactive users see nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    return user.scope
