import pytest

from pilotis.workshops import themes
from pilotis.workshops.themes import ThemesError, validate


def test_the_shipped_themes_are_valid_and_one_presents_the_catalogue():
    shipped = validate(themes.DEFAULT_FILE)
    codes = [t.code for t in shipped]
    assert len(codes) == len(set(codes)) >= 10
    assert {"tni", "tablettes", "ent", "pix", "emi", "rgpd", "ia", "cartoun", "collaboratif", "accessibilite"} <= set(
        codes
    )
    assert [t.code for t in shipped if t.presents_catalogue] == ["cartoun"]
    assert [t.code for t in shipped if t.other] == ["autre"]


def test_a_broken_file_names_every_problem_with_its_line(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(
        "themes:\n"
        "  - code: ent\n"
        "    label: ENT\n"
        "  - code: ent\n"
        "    label: Encore l'ENT\n"
        "  - code: Mauvais Code\n"
        "    label: X\n"
        "    presents_catalogue: oui\n"
        "  - code: pix\n"
        "    couleur: bleu\n",
        encoding="utf-8",
    )
    with pytest.raises(ThemesError) as error:
        validate(path)
    problems = "\n".join(error.value.problems)
    assert "ligne 4" in problems and "déjà donné ligne 2" in problems
    assert "« Mauvais Code » invalide" in problems
    assert "« presents_catalogue » doit valoir true ou false" in problems
    assert "clé « couleur » inconnue" in problems
    assert "champ « label » manquant" in problems


def test_the_label_of_autre_is_what_was_typed_and_an_unknown_code_shows_as_stored():
    assert themes.label("autre", "Robotique") == "Robotique"
    assert themes.label("autre") == "Autre thème"
    assert themes.label("ent", "ignoré") == "Espace numérique de travail (ENT)"
    assert themes.label("disparu") == "disparu"
