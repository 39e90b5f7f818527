"""Revocation takes effect on the next request (SECURITY.md): removing a role or deactivating a user takes effect on the next request; sessions end."""

from django.contrib.sessions.models import Session
from django.urls import reverse

from pilotis.accounts import services
from pilotis.accounts.models import SchoolMembership, TerritoryRole
from pilotis.core.models import AuditEvent
from tests.security.helpers import is_sign_in_redirect, signed_in


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


def test_deactivation_ends_sessions_and_next_request(world, django_capture_on_commit_callbacks):
    school_page = reverse("territories:school_detail", args=[world.school_a.uai])
    first, second = signed_in(world.member_a), signed_in(world.member_a)
    bystander = signed_in(world.chef_a)
    assert first.get(school_page).status_code == 200
    assert len(sessions_of(world.member_a)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.deactivate_user(world.member_a, by=world.admin)

    assert sessions_of(world.member_a) == []
    for client in (first, second):
        assert is_sign_in_redirect(client.get(school_page))
        assert is_sign_in_redirect(client.get(reverse("home")))
    # Other people's sessions are untouched.
    assert len(sessions_of(world.chef_a)) == 1
    assert bystander.get(school_page).status_code == 200
    event = AuditEvent.objects.get(action="user_deactivated")
    assert (event.actor_id, event.object_id, event.before, event.after) == (
        world.admin.pk,
        str(world.member_a.pk),
        {"is_active": True},
        {"is_active": False},
    )


def test_deactivated_user_cannot_sign_in_again(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.deactivate_user(world.member_a, by=world.admin)
    response = client.post(
        reverse("accounts:login"), {"username": "member_a", "password": "correct horse battery staple"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_removed_member_loses_the_school_on_next_request(world):
    school_page = reverse("territories:school_detail", args=[world.school_a.uai])
    members_page = reverse("members:list", args=[world.school_a.uai])
    member = signed_in(world.member_a)
    assert member.get(school_page).status_code == 200

    membership = SchoolMembership.objects.get(user=world.member_a)
    response = signed_in(world.chef_a).post(reverse("members:remove", args=[world.school_a.uai, membership.pk]))
    assert response.status_code == 302

    assert member.get(school_page).status_code == 404
    assert member.get(members_page).status_code == 404
    # The home page no longer sends them to school A.
    home = member.get(reverse("home"))
    assert home.status_code == 200
    assert world.school_a.name not in home.content.decode()


def test_demoted_director_loses_management_on_next_request(world):
    adjoint = signed_in(world.adjoint_a)
    invite = reverse("members:invite", args=[world.school_a.uai])
    membership = SchoolMembership.objects.get(user=world.adjoint_a)
    signed_in(world.chef_a).post(
        reverse("members:change_role", args=[world.school_a.uai, membership.pk]),
        {f"m{membership.pk}-role": "membre"},
    )
    response = adjoint.post(invite, {"email": "z@example.org", "first_name": "Z", "last_name": "Z", "role": "membre"})
    assert response.status_code == 403
    assert not SchoolMembership.objects.filter(user__email="z@example.org").exists()


def test_removed_territory_role_takes_effect_on_next_request(world):
    correspondent = signed_in(world.correspondant_40)
    school_list = reverse("schools:list")
    school_page = reverse("territories:school_detail", args=[world.school_a.uai])
    assert correspondent.get(school_list).status_code == 200
    role = TerritoryRole.objects.get(user=world.correspondant_40)
    assert signed_in(world.dane).post(reverse("accounts:territory_role_remove", args=[role.pk])).status_code == 302
    assert correspondent.get(school_list).status_code == 404
    assert correspondent.get(school_page).status_code == 404
