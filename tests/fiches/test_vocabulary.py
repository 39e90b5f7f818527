"""The shipped vocabularies (levels, disciplines, CRCN) and the validation of their file."""

import pytest

from pilotis.fiches.enums import TermKind
from pilotis.fiches.vocabulary import VocabularyError, validate, vocabulary


def test_the_crcn_has_its_five_domains_and_sixteen_competences():
    vocab = vocabulary()
    assert [group.code for group in vocab.crcn] == ["1", "2", "3", "4", "5"]
    assert list(vocab.labels[TermKind.COMPETENCE]) == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2",
    ]  # fmt: skip
    assert vocab.label(TermKind.COMPETENCE, "3.4") == "Programmer"
    assert vocab.crcn[3].label == "Protection et sécurité"


def test_levels_cover_college_and_the_three_voies():
    vocab = vocabulary()
    assert [group.label for group in vocab.levels] == [
        "Collège",
        "Lycée, voie générale",
        "Lycée, voie technologique",
        "Lycée, voie professionnelle",
    ]
    labels = vocab.labels[TermKind.LEVEL]
    assert labels["6E"] == "6e" and labels["TPRO"] == "Terminale professionnelle" and "CAP1" in labels
    assert vocab.label(TermKind.DISCIPLINE, "SNT") == "Sciences numériques et technologie"


def test_unknown_codes_are_named():
    assert vocabulary().unknown(TermKind.LEVEL, ["6E", "7E", "<script>"]) == ["7E", "<script>"]


def test_a_broken_file_names_every_problem_with_its_line(tmp_path):
    path = tmp_path / "descriptors.yaml"
    path.write_text(
        """levels:
  - group: "Collège"
    items:
      - {code: "6E", label: "6e"}
      - {code: "6E", label: "sixième"}
      - {code: "5E"}
disciplines: []
crcn:
  - code: "1"
    label: "Information et données"
    competences:
      - {code: "2.1", label: "Interagir"}
colour: bleu
""",
        encoding="utf-8",
    )
    with pytest.raises(VocabularyError) as error:
        validate(path)
    problems = error.value.problems
    assert any("ligne 5" in p and "en double" in p for p in problems)
    assert any("ligne 6" in p and "label" in p for p in problems)
    assert any("ligne 7" in p and "disciplines" in p for p in problems)
    assert any("ligne 9" in p and "2.1" in p for p in problems)
    assert any("ligne 13" in p and "colour" in p for p in problems)


def test_the_form_choices_are_grouped():
    choices = vocabulary().choices(TermKind.COMPETENCE)
    assert choices[0][0] == "1. Information et données"
    assert choices[0][1][0] == ("1.1", "1.1 Mener une recherche et une veille d'information")
