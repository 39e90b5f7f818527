"""The rule on invisible and control characters, for every text that names a person or a thing.

Unicode's control (Cc: NUL, escape, CR, LF, tab…) and format (Cf: U+202E right-to-left override,
U+FEFF, zero-width spaces…) characters are refused: they forge e-mail headers ("Eve\\r\\nBcc: …"),
reverse names on screen and in CSV cells, or hide text. One-line fields refuse them all; multi-line
free text (comments) keeps the line feed only. Used by the forms (`core.forms.CleanCharField`) and
by the annuaire import.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORBIDDEN_CHARACTERS_MESSAGE = _("Ce champ contient des caractères non autorisés.")
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf"})


def first_forbidden_character(value: str, *, multiline: bool = False) -> int:
    """The index of the first character the rule refuses in `value`, or -1."""
    if value.isprintable():  # in C: no Cc nor Cf (nor other non-printable characters)
        return -1
    for index, character in enumerate(value):
        if multiline and character == "\n":
            continue
        if unicodedata.category(character) in FORBIDDEN_CATEGORIES:
            return index
    return -1


def replace_forbidden_characters(value: str, replacement: str = "?") -> str:
    """`value` with each refused character replaced, to echo it in a message or a log."""
    if value.isprintable():
        return value
    return "".join(
        replacement if unicodedata.category(character) in FORBIDDEN_CATEGORIES else character for character in value
    )


def validate_one_line(value: str) -> None:
    """A name, a title, a label: no control or format character at all (tab and newline included)."""
    if value and first_forbidden_character(value) >= 0:
        raise ValidationError(FORBIDDEN_CHARACTERS_MESSAGE, code="forbidden_characters")


def validate_multiline(value: str) -> None:
    """Free text: line feeds are kept, every other control or format character is refused."""
    if value and first_forbidden_character(value, multiline=True) >= 0:
        raise ValidationError(FORBIDDEN_CHARACTERS_MESSAGE, code="forbidden_characters")
