"""Whom an item of news reaches, who reads it and who writes it: the rule, written once.

- An item reaches the **open schools** of its académie, narrowed to one département and/or to one
  type of school when it names them.
- It is **sent by e-mail to the RUPN** of those schools (active accounts holding the RUPN role
  there; the direction is not written to).
- It is **read**, once published and until withdrawn, by the RUPN **and the direction** (chef,
  adjoint) of a school it reaches: the direction sees what its RUPN is asked to relay. The rest
  of the school's team does not.
- It is **written** (drafted, published, withdrawn, its sending resumed) by the DANE of its
  académie, whatever the audience, and by a correspondent for one of his départements only: an
  item for the whole académie is the DANE's. The administrator writes everywhere.
"""

from django.db.models import Q

from pilotis.accounts.models import SchoolMembership, User
from pilotis.core.roles import SchoolRole
from pilotis.core.scope import scope_of
from pilotis.news.models import NewsItem
from pilotis.territories.models import Academy, Department, School

# The roles that read the académie's news in a school; only the RUPN receive the e-mail.
READER_ROLES = frozenset({SchoolRole.RUPN, *SchoolRole.direction()})


# --- Which schools and people an item reaches ---------------------------------------------------


def schools_reached(item) -> "School.objects":
    """The open schools of the item's académie, within its département and type if it names them."""
    schools = School.objects.filter(is_open=True, department__academy_id=item.academy_id)
    if item.department_id:
        schools = schools.filter(department_id=item.department_id)
    if item.school_kind:
        schools = schools.filter(kind=item.school_kind)
    return schools


def rupn_memberships(item):
    """The RUPN roles (active accounts) in the schools the item reaches: its e-mail's recipients."""
    return SchoolMembership.objects.filter(
        role=SchoolRole.RUPN, user__is_active=True, school__in=schools_reached(item)
    ).select_related("user")


def recipients(item) -> list[User]:
    """The RUPN the item reaches, each person once (a RUPN of two schools gets one e-mail)."""
    seen, people = set(), []
    for membership in rupn_memberships(item).order_by("user_id"):
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            people.append(membership.user)
    return people


def reaches(item, school) -> bool:
    """Whether the item reaches this school (already read): the rule of `schools_reached`."""
    return (
        school.is_open
        and school.department.academy_id == item.academy_id
        and (not item.department_id or school.department_id == item.department_id)
        and (not item.school_kind or school.kind == item.school_kind)
    )


def _reaching(schools) -> Q:
    """Items reaching one of these schools, given as (department_id, academy_id, kind)."""
    condition = Q(pk__in=[])
    for department_id, academy_id, kind in schools:
        condition |= (
            Q(academy_id=academy_id)
            & (Q(department__isnull=True) | Q(department_id=department_id))
            & (Q(school_kind="") | Q(school_kind=kind))
        )
    return condition


def published():
    """Items published and not withdrawn: what their readers see."""
    return NewsItem.objects.exclude(published_at=None).filter(withdrawn_at=None)


def items_reaching(school):
    """The published items that reach one school (for the flash'infos and the school's page)."""
    if not school.is_open:
        return NewsItem.objects.none()
    return published().filter(_reaching([(school.department_id, school.department.academy_id, school.kind)]))


# --- Who reads ----------------------------------------------------------------------------------


def reader_school_ids(user) -> list[int]:
    """The schools where the user holds a reading role (RUPN, direction)."""
    return [pk for pk, role in scope_of(user).school_roles.items() if role in READER_ROLES]


def _reader_condition(user) -> Q:
    ids = reader_school_ids(user)
    if not ids:
        return Q(pk__in=[])
    schools = School.objects.filter(pk__in=ids, is_open=True).values_list(
        "department_id", "department__academy_id", "kind"
    )
    return _reaching(list(schools))


def reads_news(user) -> bool:
    """The RUPN and the direction of a school read the académie's news meant for it."""
    return bool(reader_school_ids(user))


def items_for(user):
    """The published items that reach one of the schools where the user is RUPN or direction."""
    return published().filter(_reader_condition(user))


def is_reader(user, item) -> bool:
    """Whether the user reads this published item (RUPN or direction of a school it reaches)."""
    return items_for(user).filter(pk=item.pk).exists()


# --- Who writes ---------------------------------------------------------------------------------


def may_address(user, academy_id: int, department_id: int | None) -> bool:
    """The DANE of the académie addresses any of its audiences; a correspondent only one of his
    départements (an académie-wide item is the DANE's)."""
    scope = scope_of(user)
    if department_id is None:
        return scope.follows_academy(academy_id)
    return scope.follows_department(department_id, academy_id)


def writes_news(user) -> bool:
    """The DANE, the correspondents and the administrator write the académie's news."""
    return scope_of(user).is_territorial


def may_write(user, item) -> bool:
    """Who writes an item: whoever may address its audience (`may_address`)."""
    return may_address(user, item.academy_id, item.department_id)


def managed_by(user):
    """The items the user writes: those of the académies he leads, of the départements he follows."""
    scope = scope_of(user)
    if scope.everything:
        return NewsItem.objects.all()
    return NewsItem.objects.filter(Q(academy_id__in=scope.academy_ids) | Q(department_id__in=scope.department_ids))


def visible_to(user):
    """Every item this user may open: those he writes, and the published ones he reads."""
    return NewsItem.objects.filter(
        Q(pk__in=managed_by(user).values("pk"))
        | (Q(published_at__isnull=False, withdrawn_at=None) & _reader_condition(user))
    )


def audiences_for(user) -> list[tuple[str, str, object, object]]:
    """The territories the user may address, as (code, label, academy, department): « a<pk> » for
    a whole académie (DANE), « d<pk> » for a département."""
    scope = scope_of(user)
    choices = []
    for academy in Academy.objects.led_by(user).order_by("name"):
        choices.append((f"a{academy.pk}", str(academy), academy, None))
        for department in academy.departments.order_by("code"):
            choices.append((f"d{department.pk}", f"{academy.name} — {department}", academy, department))
    if not scope.everything:
        for department in (
            Department.objects.filter(pk__in=scope.department_ids)
            .exclude(academy_id__in=scope.academy_ids)
            .select_related("academy")
            .order_by("code")
        ):
            choices.append(
                (f"d{department.pk}", f"{department.academy.name} — {department}", department.academy, department)
            )
    return choices
