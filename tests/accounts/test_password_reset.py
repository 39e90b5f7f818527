"""Forgotten password: a link by e-mail, single-use, that never reveals whether an account exists."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pilotis.accounts.models import User
from tests.factories import PASSWORD
from tests.security.helpers import sign_in, text_of

NEW = "un héron au bord de l'étang"


def ask(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def link_in(message) -> str:
    match = re.search(r"https?://\S+/compte/mot-de-passe/nouveau/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def test_reset_page_is_public_and_french(db, client):
    response = client.get(reverse("accounts:password_reset"))
    assert response.status_code == 200
    assert "Adresse électronique" in text_of(response)


@pytest.mark.parametrize("typed", ["member_a@example.org", "MEMBER_A@Example.ORG"])
def test_reset_by_email_end_to_end(world, client, typed):
    response = ask(client, typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member_a@example.org"]
    assert message.subject == "Pilotis : choisir un mot de passe"
    assert "Votre identifiant : member_a" in message.body
    assert PASSWORD not in message.body

    response = client.get(link_in(message))
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")

    world.member_a.refresh_from_db()
    assert world.member_a.check_password(NEW)
    assert sign_in(Client(), "member_a", PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(Client(), "member_a", NEW).status_code == 302


def test_link_is_single_use(world, client):
    ask(client, "member_a@example.org")
    link = link_in(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    other = Client()
    response = other.get(link, follow=True)
    assert "Ce lien n’est plus valable" in text_of(response)
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(NEW)


def test_tampered_link_is_refused(world, client):
    ask(client, "member_a@example.org")
    link = link_in(mail.outbox[0])
    tampered = re.sub(
        r"/([^/]+)/$", lambda m: "/" + m.group(1)[:-1] + ("a" if m.group(1)[-1] != "a" else "b") + "/", link
    )
    response = client.get(tampered, follow=True)
    assert "Ce lien n’est plus valable" in text_of(response)


def test_link_of_one_user_does_not_open_another(world, client):
    ask(client, "member_a@example.org")
    link = link_in(mail.outbox[0])
    *prefix, _uid, token = link.strip("/").split("/")
    chef_uid = urlsafe_base64_encode(force_bytes(world.chef_a.pk))
    forged = "/" + "/".join([*prefix, chef_uid, token]) + "/"
    response = client.get(forged, follow=True)
    assert "Ce lien n’est plus valable" in text_of(response)
    world.chef_a.refresh_from_db()
    assert world.chef_a.check_password(PASSWORD)


@pytest.mark.parametrize("email", ["personne@example.org", "pas-une-adresse@", ""])
def test_unknown_address_gets_the_same_answer_and_no_mail(world, client, email):
    response = ask(client, email)
    if email == "personne@example.org":
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_inactive_account_gets_no_mail(world, client):
    User.objects.filter(pk=world.member_a.pk).update(is_active=False)
    response = ask(client, "member_a@example.org")
    assert response.status_code == 302
    assert mail.outbox == []


def test_invited_account_without_password_can_use_the_reset(world, client):
    world.member_a.set_unusable_password()
    world.member_a.save()
    ask(client, "member_a@example.org")
    assert len(mail.outbox) == 1


def test_new_password_must_follow_the_rules(world, client):
    ask(client, "member_a@example.org")
    form_url = client.get(link_in(mail.outbox[0]))["Location"]
    for bad in ("onze carac.", "password1234", "123456789012"):
        response = client.post(form_url, {"new_password1": bad, "new_password2": bad})
        assert response.status_code == 200
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert response.status_code == 200
    assert "Les deux mots de passe ne correspondent pas." in text_of(response)
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(PASSWORD)
