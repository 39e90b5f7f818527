"""Sign-in with ProConnect against a real OIDC provider on loopback (tests/accounts/conftest.py):
who is admitted, what is refused, what the journal keeps."""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from django.conf import settings
from django.test import Client
from django.urls import reverse
from joserfc import jwt as jose_jwt
from joserfc.jwk import RSAKey

from pilotis.accounts import services
from pilotis.accounts.enums import SchoolRole
from pilotis.accounts.models import ProConnectIdentity, User
from pilotis.accounts.proconnect import ProConnectBackend, provider
from pilotis.accounts.proconnect.errors import SignInFailed
from pilotis.core.models import AuditEvent
from tests.accounts.conftest import USERINFO_AS_JWT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def last(action):
    return AuditEvent.objects.filter(action=action).order_by("-pk").first()


# --- Admitted -----------------------------------------------------------------------------------


def test_an_account_is_found_by_its_email_and_tied_to_the_identity(proconnect, client):
    user = UserFactory(username="lea", email="lea.nouvelle@ac-bordeaux.fr")
    sub = proconnect.agent("agent-lea", email="Lea.Nouvelle@ac-bordeaux.fr")

    response = proconnect.sign_in(client, sub, next_url="/compte/")

    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    assert signed_in_as(client, user)
    identity = ProConnectIdentity.objects.get(user=user)
    assert (identity.idp_id, identity.sub, identity.siret) == ("idp-education", "agent-lea", "13002526500013")
    assert identity.last_login_at is not None
    login = last("login")
    assert login.actor == user
    assert login.after == {"method": "proconnect", "idp_id": "idp-education"}
    # The session keeps the ID token: signing out ends the ProConnect session with it.
    assert client.session[provider.ID_TOKEN_SESSION_KEY].count(".") == 2


def test_the_identity_signs_in_after_its_email_changed(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    sub = proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")
    assert proconnect.sign_in(client, sub).status_code == 302
    client.logout()

    # Her ministry changed her address; no account holds the new one: her identity still finds her.
    proconnect.agent("agent-lea", email="lea.martin@education.gouv.fr")
    response = proconnect.sign_in(client, sub)

    assert response.status_code == 302
    assert signed_in_as(client, user)
    assert ProConnectIdentity.objects.get(user=user).email == "lea.martin@education.gouv.fr"


def test_an_invitation_is_accepted_by_signing_in(proconnect, client, world):
    membership = services.invite_member(
        world.school_a, email="nouveau.rupn@ac-bordeaux.fr", role=SchoolRole.RUPN, by=world.chef_a
    )
    invited = membership.user
    assert services.invitation_pending(invited)
    sub = proconnect.agent("agent-rupn", email="nouveau.rupn@ac-bordeaux.fr", given_name="Noé")

    response = proconnect.sign_in(client, sub)

    assert response.status_code == 302
    assert signed_in_as(client, invited)
    invited.refresh_from_db()
    assert not services.invitation_pending(invited)
    assert invited.last_name == "Dupont"  # the name ProConnect gave, where the invitation left none
    # Their school opens: the scope is the invitation's.
    assert client.get(reverse("territories:school_detail", args=[world.school_a.uai])).status_code == 200


def test_an_allow_listed_domain_gets_a_role_less_account(proconnect, client, settings):
    settings.PROCONNECT_ALLOWED_DOMAINS = ["ac-bordeaux.fr"]
    sub = proconnect.agent("agent-new", email="inconnue@ac-bordeaux.fr")

    response = proconnect.sign_in(client, sub)

    assert response.status_code == 302
    user = User.objects.get(email="inconnue@ac-bordeaux.fr")
    assert signed_in_as(client, user)
    assert not user.has_usable_password()
    assert not user.school_memberships.exists() and not user.territory_roles.exists()
    assert ProConnectIdentity.objects.filter(user=user, sub="agent-new").exists()
    created = last("proconnect_account_created")
    assert created.actor == user
    assert created.after["email"] == "inconnue@ac-bordeaux.fr"
    home = client.get(HOME)
    assert home.status_code == 200
    assert "accounts/no_role.html" in [t.name for t in home.templates]


def test_a_subdomain_of_an_allowed_domain_is_another_organisation(proconnect, client, settings):
    settings.PROCONNECT_ALLOWED_DOMAINS = ["ac-bordeaux.fr"]
    sub = proconnect.agent("agent-sub", email="x@autre.ac-bordeaux.fr")

    assert proconnect.sign_in(client, sub).status_code == 403
    assert not User.objects.filter(email="x@autre.ac-bordeaux.fr").exists()


def test_a_userinfo_answered_as_a_signed_jwt_is_read(proconnect, client, monkeypatch):
    USERINFO_AS_JWT.set()
    decoded = []
    real_decode = ProConnectBackend._decode

    def spy(self, token, *, what, require):
        claims = real_decode(self, token, what=what, require=require)
        decoded.append((what, claims["sub"]))
        return claims

    monkeypatch.setattr(ProConnectBackend, "_decode", spy)
    user = UserFactory(username="jwt", email="jwt@ac-bordeaux.fr")
    sub = proconnect.agent("agent-jwt", email="jwt@ac-bordeaux.fr")

    assert proconnect.sign_in(client, sub).status_code == 302
    assert signed_in_as(client, user)
    # The ID token, then the userinfo: both signed, both checked.
    assert decoded == [("id_token", "agent-jwt"), ("userinfo", "agent-jwt")]


# --- Refused: a true agent Pilotis does not admit ----------------------------------------------


def test_an_unknown_agent_is_told_why_with_what_proconnect_gave(proconnect, client):
    sub = proconnect.agent("agent-x", email="personne@interieur.gouv.fr", siret="11000201100044")

    response = proconnect.sign_in(client, sub)

    assert response.status_code == 403
    body = response.content.decode()
    assert "ne connaît aucun compte ni aucune invitation" in body
    assert "personne@interieur.gouv.fr" in body
    assert "11000201100044" in body
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="personne@interieur.gouv.fr").exists()
    refused = last("proconnect_refused")
    assert refused.after["reason"] == "unknown_agent"
    assert refused.after["email"] == "personne@interieur.gouv.fr"
    assert refused.after["siret"] == "11000201100044"


def test_a_deactivated_user_is_refused(proconnect, client, world):
    services.deactivate_user(world.rupn_a, by=world.admin)
    sub = proconnect.agent("agent-rupn-a", email=world.rupn_a.email)

    response = proconnect.sign_in(client, sub)

    assert response.status_code == 403
    assert "désactivé" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refused = last("proconnect_refused")
    assert refused.after["reason"] == "inactive"
    assert refused.object_id == str(world.rupn_a.pk)


def test_another_subject_of_the_same_provider_does_not_take_an_account(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    assert proconnect.sign_in(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")).status_code == 302
    client.logout()

    intruder = proconnect.agent("agent-other", email="lea@ac-bordeaux.fr")
    response = proconnect.sign_in(client, intruder)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert list(ProConnectIdentity.objects.filter(user=user).values_list("sub", flat=True)) == ["agent-lea"]
    assert last("proconnect_refused").after["reason"] == "identity_conflict"


# --- Refused: an answer not to be trusted (one page, the reason in the journal only) -----------


def _refused_quietly(response, reason):
    assert response.status_code == 400
    body = response.content.decode()
    assert "La connexion avec ProConnect n'a pas abouti" in body
    assert reason not in body
    event = last("login_failed")
    assert event.after["method"] == "proconnect"
    assert event.after["reason"] == reason
    return event


def test_a_wrong_state_is_refused(proconnect, client):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    callback = proconnect.authorize(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    query = parse_qs(urlsplit(callback).query)
    forged = reverse("accounts:proconnect_callback") + f"?code={query['code'][0]}&state=not-the-one"

    _refused_quietly(client.get(forged), "state_mismatch")
    assert "_auth_user_id" not in client.session


def test_an_answer_from_another_browser_is_refused(proconnect, client):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    callback = proconnect.authorize(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    other = Client()
    _refused_quietly(other.get(callback), "state_mismatch")
    assert "_auth_user_id" not in other.session


def test_a_replayed_answer_is_refused(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    callback = proconnect.authorize(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    assert client.get(callback).status_code == 302
    client.logout()

    _refused_quietly(client.get(callback), "state_mismatch")
    assert not signed_in_as(client, user)


def test_a_code_used_twice_is_refused_by_the_provider(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    sub = proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")
    first = proconnect.authorize(client, sub)
    second = proconnect.authorize(client, sub)
    code = parse_qs(urlsplit(first).query)["code"][0]
    # The code is exchanged once, out of band (as an attacker who stole it would).
    token = requests.post(
        provider.setting("OIDC_OP_TOKEN_ENDPOINT"),
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver" + reverse("accounts:proconnect_callback"),
            "client_id": settings.PROCONNECT_CLIENT_ID,
            "client_secret": settings.PROCONNECT_CLIENT_SECRET,
        },
        timeout=5,
    )
    assert token.status_code == 200
    state = parse_qs(urlsplit(second).query)["state"][0]

    event = _refused_quietly(
        client.get(reverse("accounts:proconnect_callback") + f"?code={code}&state={state}"), "code_refused"
    )
    assert event.after["detail"] == "400 invalid_grant"
    assert not signed_in_as(client, user)


def test_an_expired_id_token_is_refused(proconnect, client):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    proconnect.use("/expire")
    callback = proconnect.authorize(client, "lea@ac-bordeaux.fr")

    _refused_quietly(client.get(callback), "id_token_expired")
    assert "_auth_user_id" not in client.session


def test_an_id_token_from_another_issuer_is_refused(proconnect, client, settings):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    callback = proconnect.authorize(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    # Pilotis trusts another issuer than the one that signed: the token is not from it.
    settings.PROCONNECT_ISSUER = "https://auth.example.invalid/api/v2"

    _refused_quietly(client.get(callback), "id_token_issuer")
    assert "_auth_user_id" not in client.session


def test_an_authentication_level_not_met_is_refused(proconnect, client, settings):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    settings.PROCONNECT_ACR_VALUES = "eidas2"
    start = client.get(reverse("accounts:proconnect_login"))
    assert parse_qs(urlsplit(start["Location"]).query)["acr_values"] == ["eidas2"]
    # The tests' provider gives no `acr`: the level asked for is not met.
    callback = proconnect.authorize(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))

    _refused_quietly(client.get(callback), "acr_not_met")


def test_an_agent_who_cancels_at_proconnect_is_refused(proconnect, client):
    response = client.get(reverse("accounts:proconnect_login"))
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]

    event = _refused_quietly(
        client.get(reverse("accounts:proconnect_callback") + f"?error=access_denied&state={state}"), "provider_error"
    )
    assert event.after["detail"] == "access_denied"
    assert state not in client.session["oidc_states"]


def test_a_malformed_answer_is_refused(proconnect, client):
    _refused_quietly(client.get(reverse("accounts:proconnect_callback")), "answer_malformed")


def test_an_unreachable_provider_is_said_so(proconnect, client, settings):
    settings.PROCONNECT_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    provider.forget_discovery()

    response = client.get(reverse("accounts:proconnect_login"))

    assert response.status_code == 503
    assert "ProConnect ne répond pas" in response.content.decode()
    assert last("login_failed").after["reason"] == "provider_unreachable"


# --- Lockout, as for passwords ------------------------------------------------------------------


def test_failures_from_one_address_lock_proconnect_out(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    bad = reverse("accounts:proconnect_callback") + "?code=x&state=y"
    statuses = [client.get(bad).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[:-1] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    assert AuditEvent.objects.filter(action="locked_out").exists()

    # Locked: neither the start nor a good answer signs in.
    assert client.get(reverse("accounts:proconnect_login")).status_code == 429
    assert "Connexion temporairement bloquée" in client.get(bad).content.decode()
    assert not signed_in_as(client, user)
    # Passwords are counted apart: the account still signs in with its password from here.
    response = client.post(reverse("accounts:login"), {"username": "lea", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(client, user)


def test_a_success_clears_the_failures(proconnect, client):
    user = UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    bad = reverse("accounts:proconnect_callback") + "?code=x&state=y"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.get(bad).status_code == 400
    assert proconnect.sign_in(client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")).status_code == 302
    assert signed_in_as(client, user)
    client.logout()
    # The count started again: one more failure does not lock.
    assert client.get(bad).status_code == 400


# --- The ID token itself, from the provider or forged -------------------------------------------


def _token_from_provider(proconnect, client, sub):
    """An ID token the provider really issued for this browser's request, and the request's nonce."""
    callback = proconnect.authorize(client, sub)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    state = parse_qs(urlsplit(callback).query)["state"][0]
    nonce = client.session["oidc_states"][state]["nonce"]
    answer = requests.post(
        provider.setting("OIDC_OP_TOKEN_ENDPOINT"),
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver" + reverse("accounts:proconnect_callback"),
            "client_id": settings.PROCONNECT_CLIENT_ID,
            "client_secret": settings.PROCONNECT_CLIENT_SECRET,
        },
        timeout=5,
    )
    assert answer.status_code == 200
    return answer.json()["id_token"], nonce


def test_a_genuine_id_token_passes(proconnect, client):
    token, nonce = _token_from_provider(proconnect, client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    assert ProConnectBackend().verify_token(token, nonce=nonce)["sub"] == "agent-lea"


def test_an_id_token_answering_another_nonce_is_refused(proconnect, client):
    token, _nonce = _token_from_provider(proconnect, client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    with pytest.raises(SignInFailed) as refused:
        ProConnectBackend().verify_token(token, nonce="another-request")
    assert refused.value.reason == "nonce_mismatch"


def test_an_id_token_signed_by_another_key_is_refused(proconnect, client):
    token, nonce = _token_from_provider(proconnect, client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    # The same claims and key id, signed by a key that is not the provider's.
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jose_jwt.encode({"alg": "RS256", "kid": header["kid"]}, claims, RSAKey.generate_key(2048, private=True))
    with pytest.raises(SignInFailed) as refused:
        ProConnectBackend().verify_token(forged, nonce=nonce)
    assert refused.value.reason == "id_token_invalid"


def test_an_unsigned_id_token_is_refused(proconnect, client):
    token, nonce = _token_from_provider(proconnect, client, proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr"))
    claims = jwt.decode(token, options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none")
    with pytest.raises(SignInFailed) as refused:
        ProConnectBackend().verify_token(unsigned, nonce=nonce)
    assert refused.value.reason == "id_token_algorithm"


def test_no_secret_or_token_reaches_the_journal(proconnect, client):
    UserFactory(username="lea", email="lea@ac-bordeaux.fr")
    sub = proconnect.agent("agent-lea", email="lea@ac-bordeaux.fr")
    callback = proconnect.authorize(client, sub)
    assert client.get(callback).status_code == 302
    id_token = client.session[provider.ID_TOKEN_SESSION_KEY]
    client.logout()
    assert client.get(callback).status_code == 400  # replayed: refused, journaled

    journal = str(list(AuditEvent.objects.values_list("before", "after", "object_label", "actor_label")))
    assert settings.PROCONNECT_CLIENT_SECRET not in journal
    assert id_token not in journal
    assert parse_qs(urlsplit(callback).query)["code"][0] not in journal
