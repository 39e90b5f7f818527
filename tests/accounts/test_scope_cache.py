"""The scope is cached under the user's roles stamp: read from the cache while the roles stand,
never after they change, whichever way they change (services, admin saves, deletions, cascades)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotis.accounts import services
from pilotis.accounts.enums import SchoolRole, TerritoryRoleKind
from pilotis.accounts.models import SchoolMembership, TerritoryRole, User
from pilotis.territories.models import School
from tests.factories import MembershipFactory, SchoolFactory, TerritoryRoleFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (a new object: no per-request cached scope)."""
    return User.objects.get(pk=user.pk)


def test_a_second_request_reads_the_scope_from_the_cache(world):
    first = fresh(world.rupn_a).scope
    with CaptureQueriesContext(connection) as queries:
        again = fresh(world.rupn_a).scope
    assert again == first
    assert again.school_roles == {world.school_a.pk: SchoolRole.RUPN}
    assert len(queries) == 1  # the user row only: no membership or territory role query


def test_a_role_granted_changes_the_scope_on_the_next_request(world):
    assert world.school_b.pk not in fresh(world.rupn_a).scope.school_roles
    MembershipFactory(user=world.rupn_a, school=world.school_b, role=SchoolRole.MEMBRE)
    assert fresh(world.rupn_a).scope.school_roles[world.school_b.pk] == SchoolRole.MEMBRE


def test_a_role_changed_or_removed_through_the_services_is_seen_at_once(world):
    membership = SchoolMembership.objects.get(user=world.member_a, school=world.school_a)
    assert fresh(world.member_a).scope.school_roles == {world.school_a.pk: SchoolRole.MEMBRE}
    services.change_member_role(membership, role=SchoolRole.RUPN, by=world.chef_a)
    assert fresh(world.member_a).scope.school_roles == {world.school_a.pk: SchoolRole.RUPN}
    services.remove_member(membership, by=world.chef_a)
    assert fresh(world.member_a).scope.school_roles == {}
    assert not School.objects.for_user(fresh(world.member_a)).exists()


def test_a_territory_role_revoked_is_seen_at_once(world):
    assert fresh(world.dane).scope.academy_ids == {world.bordeaux.pk}
    role = TerritoryRole.objects.get(user=world.dane, kind=TerritoryRoleKind.DANE)
    services.revoke_territory_role(role, by=world.dane)
    assert fresh(world.dane).scope.is_empty


def test_a_queryset_delete_and_a_cascade_change_the_stamp(world):
    """Deletions that bypass the services (the admin's bulk action, a school deleted) send
    post_delete for each row, which moves the stamp."""
    corr = TerritoryRoleFactory(kind=TerritoryRoleKind.CORRESPONDANT, department=world.landes).user
    assert fresh(corr).scope.department_ids == {world.landes.pk}
    TerritoryRole.objects.filter(user=corr).delete()
    assert fresh(corr).scope.is_empty

    school = SchoolFactory(department=world.landes)
    MembershipFactory(user=world.rupn_b, school=school, role=SchoolRole.RUPN)
    assert school.pk in fresh(world.rupn_b).scope.school_roles
    school.delete()
    assert school.pk not in fresh(world.rupn_b).scope.school_roles


def test_deactivation_and_superuser_status_are_read_from_the_row_not_the_cache(world):
    assert not fresh(world.rupn_a).scope.is_empty
    User.objects.filter(pk=world.rupn_a.pk).update(is_active=False)
    assert fresh(world.rupn_a).scope.is_empty
    User.objects.filter(pk=world.rupn_a.pk).update(is_active=True, is_superuser=True)
    assert fresh(world.rupn_a).scope.everything


def test_stamps_differ_between_people_and_after_each_change(world):
    before = fresh(world.rupn_a).roles_stamp
    assert before != fresh(world.rupn_b).roles_stamp
    MembershipFactory(user=world.rupn_a, school=world.school_b, role=SchoolRole.MEMBRE)
    assert fresh(world.rupn_a).roles_stamp != before
