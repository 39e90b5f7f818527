"""Extra POST fields are ignored (SECURITY.md): extra POST fields are ignored by every form that writes."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from pilotis.accounts.models import SchoolMembership, TerritoryRole
from tests.security.helpers import signed_in

User = get_user_model()


def test_invite_ignores_school_user_and_privilege_fields(world):
    data = {
        "email": "intrus@example.org",
        "first_name": "Ivan",
        "last_name": "Intrus",
        "role": "membre",
        # What a crafted request might add:
        "school": world.school_b.pk,
        "school_id": world.school_b.pk,
        "uai": world.school_b.uai,
        "user": world.chef_c.pk,
        "user_id": world.chef_c.pk,
        "created_by": world.admin.pk,
        "is_superuser": "on",
        "is_staff": "on",
        "is_active": "on",
        "username": "admin2",
        "password": "un mot de passe choisi par l'attaquant",
    }
    response = signed_in(world.chef_a).post(reverse("members:invite", args=[world.school_a.uai]), data)
    assert response.status_code == 302
    user = User.objects.get(email="intrus@example.org")
    assert list(SchoolMembership.objects.filter(user=user).values_list("school_id", "role", "created_by_id")) == [
        (world.school_a.pk, "membre", world.chef_a.pk)
    ]
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.has_usable_password()
    assert user.username != "admin2"
    # Nothing changed for the people named in the extra fields.
    assert not SchoolMembership.objects.filter(user=world.chef_c, school=world.school_a).exists()
    assert not SchoolMembership.objects.filter(school=world.school_b).exclude(user=world.rupn_b).exists()


def test_invite_of_a_director_cannot_smuggle_another_schools_role(world):
    """`role` is a form field, but only a school role code of this school is accepted."""
    client = signed_in(world.chef_a)
    url = reverse("members:invite", args=[world.school_a.uai])
    for bad_role in ("dane", "correspondant", "admin", "superuser"):
        response = client.post(url, {"email": "x@example.org", "first_name": "X", "last_name": "Y", "role": bad_role})
        assert response.status_code == 400
    assert not User.objects.filter(email="x@example.org").exists()


def test_role_change_ignores_other_fields(world):
    membership = SchoolMembership.objects.get(user=world.member_a)
    response = signed_in(world.chef_a).post(
        reverse("members:change_role", args=[world.school_a.uai, membership.pk]),
        {
            f"m{membership.pk}-role": "rupn",
            f"m{membership.pk}-school": world.school_c.pk,
            f"m{membership.pk}-user": world.chef_c.pk,
            "school": world.school_c.pk,
            "user": world.chef_c.pk,
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.user_id, membership.school_id, membership.role) == (world.member_a.pk, world.school_a.pk, "rupn")
    world.member_a.refresh_from_db()
    assert not world.member_a.is_staff


def test_territory_role_add_ignores_extra_fields(world):
    data = {
        "email": "corresp33@example.org",
        "first_name": "Paul",
        "last_name": "Gironde",
        "kind": "correspondant",
        "department": world.gironde.pk,
        "academy": world.rennes.pk,
        "user": world.admin.pk,
        "created_by": world.admin.pk,
        "is_staff": "on",
        "is_superuser": "on",
    }
    response = signed_in(world.dane).post(reverse("accounts:territory_role_add"), data)
    assert response.status_code == 302
    user = User.objects.get(email="corresp33@example.org")
    role = TerritoryRole.objects.get(user=user)
    assert (role.kind, role.department_id, role.academy_id, role.created_by_id) == (
        "correspondant",
        world.gironde.pk,
        None,
        world.dane.pk,
    )
    assert not user.is_staff
    assert not user.is_superuser
    assert not TerritoryRole.objects.filter(user=world.admin).exists()


def test_dane_role_lands_in_the_danes_own_academy_whatever_is_posted(world):
    response = signed_in(world.dane).post(
        reverse("accounts:territory_role_add"),
        {
            "email": "dane2@example.org",
            "first_name": "Nora",
            "last_name": "Dane",
            "kind": "dane",
            "academy": world.rennes.pk,
        },
    )
    assert response.status_code == 302
    role = TerritoryRole.objects.get(user__email="dane2@example.org")
    assert (role.kind, role.academy_id, role.department_id) == ("dane", world.bordeaux.pk, None)


def test_correspondent_of_a_foreign_department_is_refused(world):
    before = TerritoryRole.objects.count()
    response = signed_in(world.dane).post(
        reverse("accounts:territory_role_add"),
        {
            "email": "corresp35@example.org",
            "first_name": "Yann",
            "last_name": "Breizh",
            "kind": "correspondant",
            "department": world.ille.pk,
        },
    )
    assert response.status_code == 400
    assert TerritoryRole.objects.count() == before
    assert not User.objects.filter(email="corresp35@example.org").exists()
