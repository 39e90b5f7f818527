"""What the UAI check says when it refuses, word for word: the form and the import show it."""

import pytest
from django.core.exceptions import ValidationError

from pilotis.territories.models import validate_uai


@pytest.mark.parametrize("value", ["", "330001X", "0330001x", "03300011", "0330001XX"])
def test_a_malformed_uai_is_refused_with_its_form(value):
    with pytest.raises(ValidationError) as refused:
        validate_uai(value)
    assert refused.value.messages == ["Un UAI compte 7 chiffres suivis d'une lettre majuscule (ex. 0330001X)."]


def test_a_wrong_check_letter_is_refused_with_the_right_one():
    # 330001 % 23 = 20: the 21st of the 23 letters (A to Z without I, O and Q), X.
    with pytest.raises(ValidationError) as refused:
        validate_uai("0330001B")
    assert refused.value.messages == ["La lettre de contrôle de l'UAI 0330001B devrait être X."]
