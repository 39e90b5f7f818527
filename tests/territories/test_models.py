import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from pilotis.territories.models import School, is_valid_uai, search_key, uai_check_letter, validate_uai
from tests.factories import SchoolFactory


@pytest.mark.parametrize("uai", ["0330001X", "0400003L", "0640001D", "0240001W"])
def test_real_uais_are_valid(uai):
    assert is_valid_uai(uai)
    validate_uai(uai)


@pytest.mark.parametrize("uai", ["0330001B", "330001A", "0330001a", "03300014", "", "0330001AA"])
def test_malformed_uais_are_refused_in_french(uai):
    assert not is_valid_uai(uai)
    with pytest.raises(ValidationError) as exc:
        validate_uai(uai)
    assert "UAI" in str(exc.value) or "lettre de contrôle" in str(exc.value)


@given(st.integers(min_value=0, max_value=9_999_999))
def test_exactly_one_check_letter_is_valid(number):
    digits = f"{number:07d}"
    valid = [letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if is_valid_uai(digits + letter)]
    assert valid == [uai_check_letter(digits)]


def test_search_key_folds_accents_case_and_punctuation():
    assert search_key("Lycée Saint-Exupéry  (Mont-de-Marsan)") == "lycee saint exupery mont de marsan"


@pytest.mark.django_db
def test_search_ignores_accents_and_case():
    school = SchoolFactory(name="LYCEE GENERAL ET TECHNOLOGIQUE CHARLES DESPIAU", commune="MONT DE MARSAN")
    SchoolFactory(name="Collège Jean Rostand", commune="Dax")
    assert list(School.objects.search("lycée despiau")) == [school]
    assert list(School.objects.search("Mont-de-Marsan")) == [school]
    assert list(School.objects.search(school.uai.lower())) == [school]
    assert School.objects.search("despiau dax").count() == 0
