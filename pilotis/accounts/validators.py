import re
import unicodedata

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


class PersonalPasswordValidator:
    """Refuses a password built from the person's own login, e-mail address (its local part) or
    name: repeated, reversed, joined, with digits or symbols added ("rupn64rupn64", "dupont2026",
    "tnopudtnopud!"). Django's similarity check only compares the whole password with each
    attribute, so doubling the username passed it."""

    ATTRIBUTES = ("username", "email", "first_name", "last_name")
    MIN_PIECE = 3

    def validate(self, password, user=None):
        if user is None:
            return
        pieces = self._pieces(user)
        if not pieces:
            return
        plain = _fold(password)
        letters = "".join(c for c in plain if c.isalpha())
        alphanumerics = "".join(c for c in plain if c.isalnum())
        if any(text and _made_of(text, pieces) for text in (letters, alphanumerics)):
            raise ValidationError(
                _(
                    "Ce mot de passe est construit à partir de votre identifiant, de votre adresse "
                    "électronique ou de votre nom : choisissez plutôt une phrase de passe."
                ),
                code="password_too_similar",
            )

    def _pieces(self, user) -> set[str]:
        pieces = set()
        for attribute in self.ATTRIBUTES:
            value = _fold(str(getattr(user, attribute, "") or ""))
            if attribute == "email":
                value = value.partition("@")[0]
            for part in [value, *re.split(r"[^a-z0-9]+", value)]:
                for variant in (
                    "".join(c for c in part if c.isalnum()),
                    "".join(c for c in part if c.isalpha()),
                ):
                    if len(variant) >= self.MIN_PIECE:
                        pieces.update((variant, variant[::-1]))
        return pieces

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas être construit à partir de votre identifiant, adresse ou nom.")


def _fold(text: str) -> str:
    """Lower case without accents: 'Élodie' → 'elodie'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _made_of(text: str, pieces: set[str]) -> bool:
    """Whether `text` is a sequence of `pieces`, nothing else."""
    reachable = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        reachable[end] = any(
            reachable[end - len(piece)] and text.endswith(piece, 0, end) for piece in pieces if len(piece) <= end
        )
    return reachable[-1]
