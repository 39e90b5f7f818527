import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from pilotis.core.models import AuditEvent
from tests.factories import PASSWORD


@pytest.mark.parametrize(
    "password", ["motdepasse123", "azertyuiop123", "Bonjour123456", "Soleil123456!", "123marseille456"]
)
def test_common_french_bases_padded_with_digits_are_refused(password):
    with pytest.raises(ValidationError, match="trop courant"):
        validate_password(password)


@pytest.mark.parametrize(
    "password", ["le soleil se lève à l'est", "cheval bleu mange des pommes", "Pilotis-2026-référent"]
)
def test_passphrases_are_accepted(password):
    validate_password(password)


def test_password_change_is_audited(client_for, world):
    client = client_for("rupn_a")
    response = client.post(
        "/compte/mot-de-passe/changer/",
        {
            "old_password": PASSWORD,
            "new_password1": "un nouveau mot de passe bien long",
            "new_password2": "un nouveau mot de passe bien long",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="password_changed", actor=world.rupn_a).exists()
