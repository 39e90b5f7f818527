"""Password policy (SECURITY.md): at least 12 characters, no composition rule, 64 accepted, common passwords refused,
only hashes stored."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from pilotis.accounts.forms import SetPasswordForm
from tests.factories import PASSWORD
from tests.security.helpers import sign_in, signed_in

User = get_user_model()
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"


def production_hashers() -> list[str]:
    """PASSWORD_HASHERS as written in config/settings.py (conftest swaps in MD5 for speed)."""
    tree = ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PASSWORD_HASHERS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("PASSWORD_HASHERS not found in config/settings.py")


def errors_for(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


@pytest.fixture
def user(world):
    return world.member_a


def test_eleven_characters_refused(user):
    assert "password_too_short" in errors_for("abcdefghjkm", user)
    assert "password_too_short" in errors_for("vélo rouge!", user)


@pytest.mark.parametrize(
    "password",
    [
        "vélo rouge!x",  # 12
        "lune sur mer",  # 12, lower case and spaces only: no composition rule
        "chatgrisdoux",  # 12 lower-case letters
        "Le chat de la voisine mange des croquettes au thon le mardi soir",  # 64
    ],
)
def test_long_enough_passwords_accepted(user, password):
    assert len(password) in (12, 64)
    assert errors_for(password, user) == []


def test_sixty_four_exactly(user):
    password = ("correct cheval agrafe batterie " * 3)[:64]
    assert len(password) == 64
    assert errors_for(password, user) == []


def test_absurd_lengths_refused(user):
    assert "password_too_long" in errors_for("a b c d " * 100, user)


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "qwertyuiop123",
        "telechargement",
        "123456789012",
        "789012345678",
        "987654321098",
        "abcdefghijklm",
        "121212121212",
        "azeazeazeaze",
        "000000000000",
    ],
)
def test_common_passwords_refused(user, password):
    assert len(password) >= 12
    assert "password_too_common" in errors_for(password, user)


@pytest.mark.parametrize("password", ["839201746518", "tout en minuscules sans chiffre", "MAJUSCULES SEULES"])
def test_no_composition_rule(user, password):
    """Length and rarity are what count: no class of character is required or forbidden."""
    assert errors_for(password, user) == []


def test_password_like_the_username_refused(world):
    world.member_a.username = "bernadette.delacroix"
    assert "password_too_similar" in errors_for("bernadette.delacroix", world.member_a)


@pytest.mark.parametrize(
    "password",
    [
        "rupn64rupn64",  # the username twice
        "RUPN64rupn64!",
        "46npur46npur",  # reversed
        "rupnrupnrupn2026",  # its letters, with digits added
        "bernadettebernadette",  # the first name
        "delacroix2026!!",  # the last name, digits and symbols added
        "Délacroix-Bernadette",  # both names, accents and case aside
        "xiorcaledxiorcaled",  # reversed, repeated
        "bdelacroix.bdelacroix",  # the e-mail's local part
    ],
)
def test_passwords_built_from_the_person_refused(world, password):
    user = world.member_a
    user.username, user.email = "rupn64", "bdelacroix@ac-bordeaux.fr"
    user.first_name, user.last_name = "Bernadette", "Delacroix"
    assert "password_too_similar" in errors_for(password, user)


def test_passwords_merely_containing_the_name_accepted(world):
    user = world.member_a
    user.username, user.email = "rupn64", "bdelacroix@ac-bordeaux.fr"
    user.first_name, user.last_name = "Bernadette", "Delacroix"
    for password in ["Bernadette aime les tulipes", "rupn64 et le vélo rouge", "839201746518"]:
        assert errors_for(password, user) == [], password


def test_the_refusal_speaks_french(world):
    user = world.member_a
    user.username = "rupn64"
    form = SetPasswordForm(user, {"new_password1": "rupn64rupn64", "new_password2": "rupn64rupn64"})
    assert not form.is_valid()
    assert "construit à partir de votre identifiant" in " ".join(form.errors["new_password2"])


def test_set_password_form_speaks_french(user):
    form = SetPasswordForm(user, {"new_password1": "court", "new_password2": "court"})
    assert not form.is_valid()
    message = " ".join(form.errors["new_password2"])
    assert "12 caractères" in message
    assert "trop court" in message


def test_only_a_hash_is_stored(settings, world, client):
    settings.PASSWORD_HASHERS = production_hashers()
    assert settings.PASSWORD_HASHERS[0].endswith("ScryptPasswordHasher")
    clear = "une phrase de passe assez longue"
    form = SetPasswordForm(world.member_a, {"new_password1": clear, "new_password2": clear})
    assert form.is_valid(), form.errors
    form.save()

    stored = User.objects.filter(pk=world.member_a.pk).values_list("password", flat=True).get()
    assert clear not in stored
    assert identify_hasher(stored).algorithm == "scrypt"
    assert stored.startswith("scrypt$")
    # Salted: the same password twice gives two different hashes.
    world.nobody.set_password(clear)
    assert world.nobody.password != stored
    # And the hash works for sign-in.
    assert sign_in(client, "member_a", clear).status_code == 302


def test_legacy_hash_is_upgraded_at_sign_in(settings, world, client):
    """An account hashed with a weaker or older hasher gets the production hash at its next sign-in."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world.member_a.set_password(PASSWORD)
    world.member_a.save()
    settings.PASSWORD_HASHERS = production_hashers()
    assert sign_in(client, "member_a").status_code == 302
    world.member_a.refresh_from_db()
    assert world.member_a.password.startswith("scrypt$")


def test_change_password_through_the_page(world):
    client = signed_in(world.member_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"},
    )
    assert response.status_code == 200
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(PASSWORD)
    new = "un pivert tape sur le chêne"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(new)
    # Django keeps this session signed in after a change of password (the hash is re-bound).
    assert client.get("/compte/").status_code == 200
