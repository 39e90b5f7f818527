"""A school's direction invites, changes and removes its members; the school keeps a direction."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from pilotis.accounts.models import SchoolMembership, User
from pilotis.core.models import AuditEvent
from tests.factories import PASSWORD
from tests.security.helpers import db_snapshot, sign_in, signed_in, text_of

NEW_PASSWORD = "trois chouettes sur un fil"
LAST_DIRECTION = "L'établissement doit garder au moins un membre de l'équipe de direction."


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs on-commit callbacks (the invitation e-mail) as a real request would, right away."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def members_url(world):
    return reverse("members:list", args=[world.school_a.uai])


def invite(client, world, on_commit=None, **data):
    data = {"email": "lea.nouvelle@example.org", "first_name": "Léa", "last_name": "Nouvelle", "role": "membre"} | data
    if on_commit is None:
        return client.post(reverse("members:invite", args=[world.school_a.uai]), data)
    with on_commit():
        return client.post(reverse("members:invite", args=[world.school_a.uai]), data)


def change_role(client, world, user, role):
    membership = SchoolMembership.objects.get(user=user, school=world.school_a)
    return client.post(
        reverse("members:change_role", args=[world.school_a.uai, membership.pk]),
        {f"m{membership.pk}-role": role},
    )


def remove(client, world, user):
    membership = SchoolMembership.objects.get(user=user, school=world.school_a)
    return client.post(reverse("members:remove", args=[world.school_a.uai, membership.pk]))


def role_of(user, school):
    return SchoolMembership.objects.filter(user=user, school=school).values_list("role", flat=True).first()


def followed(client, response):
    assert response.status_code == 302
    return text_of(client.get(response["Location"]))


# --- The page ---------------------------------------------------------------------------


def test_direction_sees_management_forms(world):
    body = text_of(signed_in(world.chef_a).get(members_url(world)))
    assert "Équipe de l’établissement" in body
    assert "Inviter une personne" in body
    assert "Changer le rôle" in body
    for user in (world.chef_a, world.adjoint_a, world.rupn_a, world.member_a):
        assert user.email in body


@pytest.mark.parametrize("persona", ["member_a", "rupn_a", "correspondant_40", "dane"])
def test_others_only_read_the_team(world, persona):
    response = signed_in(world.persona(persona)).get(members_url(world))
    assert response.status_code == 200
    body = text_of(response)
    assert world.member_a.email in body
    assert "Inviter une personne" not in body
    assert "Changer le rôle" not in body
    assert "/membres/inviter/" not in body


# --- Invitation, end to end -------------------------------------------------------------


def test_invite_flow_end_to_end(world, on_commit):
    chef = signed_in(world.chef_a)
    response = invite(chef, world, on_commit)
    assert response.status_code == 302
    assert response["Location"] == members_url(world)
    page = text_of(chef.get(members_url(world)))
    assert (
        "Léa Nouvelle (lea.nouvelle@example.org) a été ajouté(e) à l'équipe et a reçu un courriel d'invitation." in page
    )
    assert "lea.nouvelle@example.org" in page

    user = User.objects.get(email="lea.nouvelle@example.org")
    assert (user.first_name, user.last_name, user.username) == ("Léa", "Nouvelle", "lea.nouvelle")
    assert not user.has_usable_password()
    assert role_of(user, world.school_a) == "membre"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea.nouvelle@example.org"]
    assert message.subject == f"Pilotis : vous avez été ajouté(e) à {world.school_a.name}"
    assert "Bonjour Léa Nouvelle," in message.body
    assert "Membre de l'équipe" in message.body
    assert "Votre identifiant : lea.nouvelle" in message.body
    links = re.findall(r"https?://\S+", message.body)
    link = next(url for url in links if "/compte/mot-de-passe/nouveau/" in url)

    newcomer = Client()
    response = newcomer.get(urlsplit(link).path)
    assert response.status_code == 302  # Django hides the token from the address bar
    form_url = response["Location"]
    response = newcomer.get(form_url)
    assert response.status_code == 200
    assert "Choisir un mot de passe" in text_of(response)
    # Too short first: a French refusal, nothing saved.
    response = newcomer.post(form_url, {"new_password1": "trop court", "new_password2": "trop court"})
    assert response.status_code == 200
    assert "trop court" in text_of(response)
    user.refresh_from_db()
    assert not user.has_usable_password()
    response = newcomer.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link is single-use.
    again = Client().get(urlsplit(link).path, follow=True)
    assert "Ce lien n’est plus valable" in text_of(again)

    # Sign in as the new member: they land on their school's page.
    response = sign_in(newcomer, "Lea.Nouvelle@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    landing = newcomer.get(response["Location"], follow=True)
    assert landing.redirect_chain[-1][0] == reverse("territories:school_detail", args=[world.school_a.uai])
    assert world.school_a.name in text_of(landing)


def test_invite_existing_account_adds_membership_without_new_account(world, on_commit):
    users_before = User.objects.count()
    password_before = world.chef_c.password
    response = invite(signed_in(world.chef_a), world, on_commit, email="CHEF_C@Example.org", role="rupn")
    assert response.status_code == 302
    assert User.objects.count() == users_before
    assert role_of(world.chef_c, world.school_a) == "rupn"
    assert role_of(world.chef_c, world.school_c) == "chef"
    world.chef_c.refresh_from_db()
    assert world.chef_c.password == password_before
    assert not AuditEvent.objects.filter(action="user_invited").exists()
    message = mail.outbox[0]
    assert message.to == [world.chef_c.email]
    assert "/compte/mot-de-passe/nouveau/" not in message.body
    assert "Connectez-vous avec votre compte habituel" in message.body


def test_invite_existing_member_again_is_refused_and_writes_nothing(world, on_commit):
    chef = signed_in(world.chef_a)
    before = db_snapshot()
    events = AuditEvent.objects.count()
    response = invite(chef, world, on_commit, email=world.member_a.email.upper(), role="chef")
    assert response.status_code == 400
    assert "Cette personne fait déjà partie de l'établissement." in text_of(response)
    assert db_snapshot() == before
    assert AuditEvent.objects.count() == events
    assert mail.outbox == []
    assert role_of(world.member_a, world.school_a) == "membre"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "pas-une-adresse", "Saisissez une adresse de courriel valide."),
        ("email", "", "Ce champ est obligatoire."),
        ("first_name", "", "Ce champ est obligatoire."),
        ("role", "directeur", "Sélectionnez un choix valide."),
        ("last_name", "Nul\x00", "Le caractère nul n’est pas autorisé."),
        ("first_name", "Bip\x07", "Ce champ contient des caractères non autorisés."),
    ],
)
def test_invalid_invitation_gives_french_errors(world, on_commit, field, value, message):
    chef = signed_in(world.chef_a)
    before = db_snapshot()
    response = invite(chef, world, on_commit, **{field: value})
    assert response.status_code == 400
    assert message in text_of(response)
    assert db_snapshot() == before
    assert mail.outbox == []


def test_invited_name_is_not_trusted_for_existing_account(world, on_commit):
    invite(signed_in(world.chef_a), world, on_commit, email=world.chef_c.email, first_name="Autre", last_name="Nom")
    world.chef_c.refresh_from_db()
    assert world.chef_c.last_name != "Nom"


# --- Change of role ---------------------------------------------------------------------


def test_change_role(world):
    chef = signed_in(world.chef_a)
    page = followed(chef, change_role(chef, world, world.member_a, "rupn"))
    assert role_of(world.member_a, world.school_a) == "rupn"
    assert f"Le rôle de {world.member_a} est maintenant : RUPN (référent numérique)." in page


def test_adjoint_manages_too(world):
    adjoint = signed_in(world.adjoint_a)
    assert change_role(adjoint, world, world.rupn_a, "membre").status_code == 302
    assert role_of(world.rupn_a, world.school_a) == "membre"


def test_change_to_an_unknown_role_is_refused(world):
    chef = signed_in(world.chef_a)
    page = followed(chef, change_role(chef, world, world.member_a, "dane"))
    assert "Choisissez un rôle dans la liste." in page
    assert role_of(world.member_a, world.school_a) == "membre"


def test_director_may_step_down_while_another_remains(world):
    chef = signed_in(world.chef_a)
    change_role(chef, world, world.chef_a, "membre")
    assert role_of(world.chef_a, world.school_a) == "membre"
    assert role_of(world.adjoint_a, world.school_a) == "adjoint"


def test_last_director_cannot_step_down(world):
    chef = signed_in(world.chef_a)
    remove(chef, world, world.adjoint_a)
    page = followed(chef, change_role(chef, world, world.chef_a, "rupn"))
    assert LAST_DIRECTION in page
    assert role_of(world.chef_a, world.school_a) == "chef"
    assert not AuditEvent.objects.filter(action="role_changed").exists()
    # Between direction roles it is fine.
    change_role(chef, world, world.chef_a, "adjoint")
    assert role_of(world.chef_a, world.school_a) == "adjoint"


def test_membership_of_another_school_is_out_of_reach(world):
    foreign = SchoolMembership.objects.get(user=world.rupn_b)
    chef = signed_in(world.chef_a)
    response = chef.post(
        reverse("members:change_role", args=[world.school_a.uai, foreign.pk]), {f"m{foreign.pk}-role": "membre"}
    )
    assert response.status_code == 404
    response = chef.post(reverse("members:remove", args=[world.school_a.uai, foreign.pk]))
    assert response.status_code == 404
    assert role_of(world.rupn_b, world.school_b) == "rupn"


# --- Removal ----------------------------------------------------------------------------


def test_remove_member(world):
    chef = signed_in(world.chef_a)
    page = followed(chef, remove(chef, world, world.member_a))
    assert role_of(world.member_a, world.school_a) is None
    assert f"{world.member_a} ne fait plus partie de l'équipe." in page
    # The account itself stays (it may belong to other schools).
    assert User.objects.filter(pk=world.member_a.pk, is_active=True).exists()


def test_last_director_cannot_be_removed(world):
    chef = signed_in(world.chef_a)
    remove(chef, world, world.adjoint_a)
    page = followed(chef, remove(chef, world, world.chef_a))
    assert LAST_DIRECTION in page
    assert role_of(world.chef_a, world.school_a) == "chef"


def test_removing_oneself_when_another_director_remains(world):
    chef = signed_in(world.chef_a)
    response = remove(chef, world, world.chef_a)
    assert response.status_code == 302
    assert role_of(world.chef_a, world.school_a) is None
    assert chef.get(members_url(world)).status_code == 404


def test_removing_and_inviting_back(world, on_commit):
    chef = signed_in(world.chef_a)
    remove(chef, world, world.member_a)
    assert invite(chef, world, on_commit, email=world.member_a.email).status_code == 302
    assert role_of(world.member_a, world.school_a) == "membre"
    # Existing account: no new password link, the old password still works.
    assert sign_in(Client(), "member_a", PASSWORD).status_code == 302


# --- Pending invitations, order, removal asked first --------------------------------------


def resend(client, world, user):
    membership = SchoolMembership.objects.get(user=user, school=world.school_a)
    return client.post(reverse("members:resend", args=[world.school_a.uai, membership.pk]))


def test_an_invitation_not_accepted_yet_is_shown_pending_and_can_be_resent(world, on_commit):
    import datetime

    from django.utils import timezone

    from pilotis.accounts.services import INVITATION_RESEND_INTERVAL
    from pilotis.core.enums import AuditAction

    chef = signed_in(world.chef_a)
    invite(chef, world, on_commit)
    user = User.objects.get(email="lea.nouvelle@example.org")
    membership = SchoolMembership.objects.get(user=user)
    page = text_of(chef.get(members_url(world)))
    assert f"Invitation envoyée le {timezone.localdate():%d/%m/%Y}, pas encore acceptée" in page
    # Right after the invitation, a second one waits: nothing is sent.
    mail.outbox.clear()
    with on_commit():
        page = followed(chef, resend(chef, world, user))
    assert "il y a moins de 15 minutes" in page and not mail.outbox
    assert not AuditEvent.objects.filter(action=AuditAction.INVITATION_RESENT).exists()

    SchoolMembership.objects.filter(pk=membership.pk).update(
        created_at=timezone.now() - INVITATION_RESEND_INTERVAL - datetime.timedelta(minutes=1)
    )
    with on_commit():
        page = followed(chef, resend(chef, world, user))
    assert "L'invitation est envoyée à nouveau à Léa Nouvelle (lea.nouvelle@example.org)" in page
    (message,) = mail.outbox
    assert message.to == ["lea.nouvelle@example.org"] and "rappel" in message.subject
    assert "/compte/mot-de-passe/nouveau/" in message.body
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_RESENT)
    assert event.actor == world.chef_a and event.object_id == str(membership.pk)
    # The re-sent invitation is the latest: another one waits again.
    with on_commit():
        followed(chef, resend(chef, world, user))
    assert len(mail.outbox) == 1


def test_an_account_in_use_gets_no_invitation_again(world, on_commit):
    chef = signed_in(world.chef_a)
    signed_in(world.member_a)  # signs in once: the invitation is accepted
    world.member_a.refresh_from_db()
    assert world.member_a.last_login is not None
    page = text_of(chef.get(members_url(world)))
    row = next(line for line in page.splitlines() if world.member_a.email in line or str(world.member_a) in line)
    assert "pas encore acceptée" not in row
    with on_commit():
        page = followed(chef, resend(chef, world, world.member_a))
    assert "s'est déjà connecté(e)" in page and not mail.outbox


def test_only_the_direction_resends(world):
    response = resend(signed_in(world.rupn_a), world, world.member_a)
    assert response.status_code == 403


def test_rows_keep_their_place_when_a_role_changes(world):
    chef = signed_in(world.chef_a)

    def order():
        html = chef.get(members_url(world)).content.decode().split("<tbody>", 1)[1]  # not the messages
        names = [str(u) for u in (world.chef_a, world.adjoint_a, world.rupn_a, world.member_a)]
        return sorted(names, key=html.index)

    before = order()
    assert change_role(chef, world, world.member_a, "rupn").status_code == 302
    assert change_role(chef, world, world.rupn_a, "membre").status_code == 302
    assert order() == before
    by_name = sorted(
        (world.chef_a, world.adjoint_a, world.rupn_a, world.member_a), key=lambda u: (u.last_name, u.first_name)
    )
    assert before == [str(u) for u in by_name]


def test_removing_a_member_asks_first_and_says_what_they_lose(world):
    chef = signed_in(world.chef_a)
    membership = SchoolMembership.objects.get(user=world.member_a, school=world.school_a)
    url = reverse("members:remove", args=[world.school_a.uai, membership.pk])
    page = text_of(chef.get(url))
    assert f"{world.member_a} ne pourra plus accéder à l'établissement {world.school_a.name}" in page
    assert "Membre de l'équipe" in page
    assert role_of(world.member_a, world.school_a) == "membre"  # a GET removes nobody
    members_page = chef.get(members_url(world)).content.decode()
    assert f'href="{url}"' in members_page and f'action="{url}"' not in members_page


def test_removing_the_designated_rupn_says_what_becomes_of_the_designation(world):
    from pilotis.core.school_years import current_school_year
    from pilotis.missions import services as missions
    from pilotis.missions.services import school_year_bounds

    first, last = school_year_bounds(current_school_year())
    designation = missions.designate(
        world.school_a,
        user=world.rupn_a,
        school_year=current_school_year(),
        starts_on=first,
        ends_on=last,
        imp_amount=missions.imp_rates()[2],
        by=world.chef_a,
    )
    membership = SchoolMembership.objects.get(user=world.rupn_a, school=world.school_a)
    chef = signed_in(world.chef_a)
    response = chef.get(reverse("members:remove", args=[world.school_a.uai, membership.pk]))
    page = text_of(response)
    assert f"est le RUPN désigné pour {current_school_year()}" in page
    assert "mettez fin à la désignation" in page
    end_url = reverse("missions:designation_change", args=[world.school_a.uai, designation.pk]) + "#terminer"
    assert f'href="{end_url}"' in response.content.decode()
    # A member who is not designated reads no such warning.
    other = SchoolMembership.objects.get(user=world.member_a, school=world.school_a)
    page = text_of(chef.get(reverse("members:remove", args=[world.school_a.uai, other.pk])))
    assert "RUPN désigné" not in page


def test_the_last_director_is_not_offered_removal(world):
    chef = signed_in(world.chef_a)
    remove(chef, world, world.adjoint_a)
    membership = SchoolMembership.objects.get(user=world.chef_a, school=world.school_a)
    response = chef.get(reverse("members:remove", args=[world.school_a.uai, membership.pk]))
    assert LAST_DIRECTION in text_of(response)
    assert 'type="submit"' not in response.content.decode().split("<main", 1)[1]
