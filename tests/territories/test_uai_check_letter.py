"""The UAI's check letter, pinned by real UAIs rather than by the function under test.

The oracle is the real export of Ille-et-Vilaine (`data/annuaire-ille-et-vilaine-2023.csv`, the
open-data "Annuaire de l'éducation"): one UAI per check letter, written here as it is in the file.
The 23 letters are the 23 remainders of the 7 digits divided by 23, so a wrong letter anywhere in
the table makes one of these real UAIs invalid. The factories build UAIs with the function under
test, so they cannot notice such a mistake.
"""

import csv
import string
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from pilotis.territories.importers import fields
from pilotis.territories.importers.errors import LineRejected
from pilotis.territories.models import is_valid_uai, uai_check_letter, validate_uai

REAL_EXPORT = Path(__file__).parent / "data" / "annuaire-ille-et-vilaine-2023.csv"

# Check letter → a real UAI of the export ending with it (and the name the file gives it).
REAL_UAIS = {
    "A": "0350612A",  # Ecole élémentaire publique Jean Zay
    "B": "0351464B",  # Ecole catholique Arthur-Régnault
    "C": "0350361C",  # Ecole maternelle publique le Pays Pourpré
    "D": "0350270D",  # Ecole élémentaire publique La Marelle
    "E": "0350294E",  # Ecole primaire publique Henri Dès
    "F": "0350594F",  # Ecole élémentaire publique Champion de Cicé
    "G": "0350687G",  # Ecole primaire publique Francis Chevalier
    "H": "0350941H",  # Ecole maternelle publique Guyenne
    "J": "0350551J",  # Ecole primaire publique de St Suliac
    "K": "0351012K",  # Ecole primaire publique Henri Guérin
    "L": "0350944L",  # Ecole maternelle publique Guillevic
    "M": "0350255M",  # Ecole maternelle publique la Madeleine
    "N": "0350210N",  # Ecole primaire publique Henri Matisse
    "P": "0350165P",  # Ecole élémentaire publique de Cardroc
    "R": "0350396R",  # Ecole primaire publique intercommunale des 2 Provinces
    "S": "0350650S",  # Ecole maternelle publique Camille Claudel
    "T": "0350122T",  # Ecole primaire publique les Lucioles
    "U": "0350192U",  # Ecole élémentaire publique de Chavagne
    "V": "0350262V",  # Ecole primaire publique Ecole de la Fontaine
    "W": "0351022W",  # Ecole élémentaire publique la Chesnaye
    "X": "0351092X",  # Ecole primaire privée St Joseph
    "Y": "0350196Y",  # Ecole primaire publique Arc-en-Ciel
    "Z": "0350266Z",  # Ecole élémentaire publique Léonard de Vinci
}
# Each real UAI with its letter replaced by every other capital letter (I, O and Q included,
# which no UAI ends with).
WRONG_LETTERS = [
    (uai, uai[:7] + letter) for uai in REAL_UAIS.values() for letter in string.ascii_uppercase if letter != uai[7]
]


def test_the_oracle_covers_every_check_letter_with_uais_of_the_real_export():
    assert sorted(REAL_UAIS) == list("ABCDEFGHJKLMNPRSTUVWXYZ")
    assert all(uai.endswith(letter) for letter, uai in REAL_UAIS.items())
    # 23 different remainders: each letter stands for its own place in the table.
    assert len({int(uai[:7]) % 23 for uai in REAL_UAIS.values()}) == 23
    with REAL_EXPORT.open(encoding="utf-8-sig", newline="") as handle:
        in_the_file = {row[0] for row in csv.reader(handle, delimiter=";")}
    assert set(REAL_UAIS.values()) <= in_the_file


@pytest.mark.parametrize("uai", REAL_UAIS.values())
def test_a_real_uai_is_valid(uai):
    assert uai_check_letter(uai[:7]) == uai[7]
    assert is_valid_uai(uai)
    validate_uai(uai)
    assert fields.uai(uai) == uai  # the import's check
    assert fields.parent_uai(uai) == uai


@pytest.mark.parametrize(("real", "wrong"), WRONG_LETTERS)
def test_a_real_uai_with_another_letter_is_invalid(real, wrong):
    assert not is_valid_uai(wrong)
    with pytest.raises(ValidationError) as error:
        validate_uai(wrong)
    assert error.value.messages == [f"La lettre de contrôle de l'UAI {wrong} devrait être {real[7]}."]
    with pytest.raises(LineRejected) as rejection:
        fields.uai(wrong)
    assert str(rejection.value) == f"lettre de contrôle de l'UAI {wrong} incorrecte ({real[7]} attendue)"
    with pytest.raises(LineRejected) as rejection:
        fields.parent_uai(wrong)
    assert str(rejection.value) == f"UAI de l'établissement de rattachement « {wrong} » invalide"
