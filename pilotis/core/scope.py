"""What a user may read, computed once per request from their roles.

`accounts` builds it (it owns the roles); lower apps such as `territories` only read it, so
they can scope their querysets without importing `accounts`. Each territorial rule is written
here once, as a predicate; the querysets (`School`, `Academy`, `Department`, `Campaign`
`objects.for_user`) and the named predicates of `territories.perms` say the same in their terms.
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
        """A territorial role somewhere (a correspondent, a DANE) or the administrator."""
        return self.everything or bool(self.department_ids or self.academy_ids)

    @property
    def leads_academy(self) -> bool:
        """The DANE of at least one académie, or the administrator."""
        return self.everything or bool(self.academy_ids)

    def follows_academy(self, academy_id: int) -> bool:
        """The whole académie is followed: by its DANE and the administrator (a correspondent
        follows one of its départements, not the académie)."""
        return self.everything or academy_id in self.academy_ids

    def follows_department(self, department_id: int, academy_id: int) -> bool:
        """The département is followed: by its correspondent, by the DANE of its académie (who
        follows every département of it) and by the administrator."""
        return department_id in self.department_ids or self.follows_academy(academy_id)

    def covers(self, school_id: int, department_id: int, academy_id: int) -> bool:
        """Whether one school, already read, is within the scope: its members, and whoever follows
        its département. The rule of `School.objects.for_user`, for one school in hand."""
        return school_id in self.school_roles or self.follows_department(department_id, academy_id)

    @property
    def belongs_to_academy(self) -> bool:
        """A school's member or a territorial role, hence of some académie
        (`Academy.objects.belonged_to`), or the administrator: what an académie opens to all its
        users (the catalogue of usage fiches) is theirs to read."""
        return self.everything or not self.is_empty

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.school_roles or self.department_ids or self.academy_ids)


EMPTY_SCOPE = Scope()


def scope_of(user) -> Scope:
    """The scope of any user object; anonymous and inactive users see nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    return user.scope
