from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Long passphrases are welcome; only absurd lengths are refused (hashing cost)."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Ce mot de passe est trop long : %(max)d caractère au plus.",
                    "Ce mot de passe est trop long : %(max)d caractères au plus.",
                    self.max_length,
                )
                % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Votre mot de passe peut compter jusqu'à %(max)d caractères.") % {"max": self.max_length}


class FrenchCommonPasswordValidator:
    """Refuses a common French base word dressed up with digits or symbols ("soleil123456").

    Django's CommonPasswordValidator only knows whole passwords, mostly English; people here
    pad "azertyuiop" or "motdepasse" to the required length.
    """

    def __init__(self):
        import unicodedata
        from pathlib import Path

        self._normalise = lambda text: "".join(
            c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
        )
        path = Path(__file__).resolve().parent / "data" / "common-passwords-fr.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        self.words = {line.strip() for line in lines if line.strip() and not line.startswith("#")}

    def validate(self, password, user=None):
        import re

        plain = self._normalise(password)
        letters = re.sub(r"[^a-z]", "", plain)
        core = re.sub(r"^[^a-z]+|[^a-z]+$", "", plain)
        if core in self.words or letters in self.words or plain in self.words:
            raise ValidationError(
                _("Ce mot de passe est trop courant : choisissez plutôt une phrase de passe de quelques mots."),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas être un mot courant complété de chiffres.")


class PredictablePasswordValidator:
    """Refuses a run ("123456789012", "abcdefghijkl") or a short pattern repeated
    ("121212121212", "azeazeazeaze"): the first guesses of any attacker, whatever their
    characters. Not a composition rule: a long random number is accepted."""

    def validate(self, password, user=None):
        plain = password.lower()
        steps = {ord(b) - ord(a) for a, b in zip(plain, plain[1:], strict=False)}
        # A run steps by +1 or -1 each time (digits wrap from 9 to 0 in "…7890123").
        run = (len(steps) == 1 and steps <= {1, -1}) or (plain.isdigit() and _is_digit_run(plain))
        repeated = any(len(plain) % n == 0 and plain == plain[:n] * (len(plain) // n) for n in range(1, 5))
        if run or repeated:
            raise ValidationError(
                _(
                    "Ce mot de passe est trop prévisible (suite ou motif répété) : choisissez plutôt une phrase de passe."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas être une suite ou un motif répété.")


def _is_digit_run(digits: str) -> bool:
    """1234567890123 or 0987654321098: each digit follows (or precedes) the last, modulo 10."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})
