"""The catalogue of suggested actions: the shipped file covers the referential, and its loader
validates everything first (naming lines), then updates the shipped rows in place, withdraws the
absent ones without deleting them, and never touches an académie's own suggestions."""

import io
import textwrap
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.plans.models import SuggestedAction
from pilotis.plans.suggestions import DEFAULT_FILE, SuggestionsError, load_suggestions, validate
from pilotis.referential.models import Indicator
from tests.factories import MINI, load_referential

pytestmark = pytest.mark.django_db


def write(tmp_path, text, name="suggestions.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def entry(title, description="Faire ceci.", means="Une heure.", criteria="C'est fait."):
    return (
        f'      - title: "{title}"\n'
        f'        description: "{description}"\n'
        f'        means: "{means}"\n'
        f'        success_criteria: "{criteria}"\n'
    )


def catalogue(tmp_path, entries: dict[str, list[str]]):
    body = "suggestions:\n" + "".join(
        f"  {code}:\n" + "".join(entry(title) for title in titles) for code, titles in entries.items()
    )
    return write(tmp_path, body)


def shipped(code):
    return list(SuggestedAction.objects.filter(academy=None, indicator_code=code).order_by("position"))


def test_every_indicator_of_the_shipped_referential_has_suggestions():
    version = load_referential()
    load_suggestions()
    active = Counter(
        SuggestedAction.objects.filter(academy=None, is_active=True).values_list("indicator_code", flat=True)
    )
    indicators = list(Indicator.objects.filter(version=version).values_list("code", flat=True))
    assert len(indicators) == 81
    too_few = [code for code in indicators if active[code] < (2 if code.startswith("PIL.") else 1)]
    assert too_few == []
    # Nothing in the catalogue points past the referential.
    assert set(active) <= set(indicators)


def test_the_shipped_suggestions_are_complete_and_short_titled():
    rows = validate(DEFAULT_FILE)
    assert len(rows) >= 81 + 13
    for row in rows:
        assert len(row["title"]) <= 120, row["title"]
        assert all(row[name] for name in ("description", "means", "success_criteria")), row["title"]
        # An action: no title ends with a full stop.
        assert not row["title"].endswith("."), row["title"]


def test_a_second_load_changes_nothing_and_journals_nothing():
    first = load_suggestions()
    assert first.created == len(validate(DEFAULT_FILE)) and first.changed
    assert AuditEvent.objects.filter(action=AuditAction.SUGGESTIONS_CHANGED).count() == 1
    before = list(SuggestedAction.objects.values_list("pk", "title", "is_active"))

    second = load_suggestions()

    assert (second.created, second.updated, second.deactivated, second.changed) == (0, 0, 0, False)
    assert second.unchanged == first.created
    assert list(SuggestedAction.objects.values_list("pk", "title", "is_active")) == before
    assert AuditEvent.objects.filter(action=AuditAction.SUGGESTIONS_CHANGED).count() == 1


def test_shipped_rows_are_updated_in_place_withdrawn_and_restored(tmp_path, world):
    load_suggestions(catalogue(tmp_path, {"PIL.1.01": ["Écrire le volet", "Voter le volet"], "PIL.1.02": ["Charte"]}))
    first, second = shipped("PIL.1.01")
    own = SuggestedAction.objects.create(academy=world.bordeaux, indicator_code="PIL.1.01", title="Celle de la DANE")

    report = load_suggestions(catalogue(tmp_path, {"PIL.1.01": ["Écrire le volet numérique"]}))

    assert (report.created, report.updated, report.deactivated) == (0, 1, 2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, first.is_active) == ("Écrire le volet numérique", True)
    # Withdrawn, not deleted: the actions built from them keep their origin.
    assert second.is_active is False
    assert shipped("PIL.1.02")[0].is_active is False
    own.refresh_from_db()
    assert (own.title, own.is_active, own.position) == ("Celle de la DANE", True, 0)
    event = AuditEvent.objects.filter(action=AuditAction.SUGGESTIONS_CHANGED).latest("pk")
    assert event.actor_label == "load_suggestions"
    assert event.after["withdrawn"] == ["PIL.1.01 #2", "PIL.1.02 #1"]
    assert (event.after["updated"], event.after["deactivated"]) == (1, 2)

    back = load_suggestions(catalogue(tmp_path, {"PIL.1.01": ["Écrire le volet numérique", "Voter le volet"]}))

    # PIL.1.02 was withdrawn already: nothing more to count.
    assert (back.created, back.updated, back.deactivated) == (0, 1, 0)
    second.refresh_from_db()
    assert second.is_active is True
    assert SuggestedAction.objects.filter(academy=None).count() == 3


def test_every_problem_is_named_by_its_line_and_nothing_is_written(tmp_path):
    path = write(
        tmp_path,
        f"""
        suggestions:
          PIL.1.01:
            - title: "Écrire le volet"
              description: "Un texte."
              means: "Une heure."
              success_criteria: "Voté."
              owner: "RUPN"
            - title: "écrire  le volet"
              description: "Un autre texte."
              means: "Une heure."
              success_criteria: "Voté."
          PIL.9.99:
            - title: "Inventer un indicateur"
              description: "Non."
              means: "Aucun."
              success_criteria: "Aucun."
          PIL.1.02:
            - title: "{"x" * 301}"
              means: "Une heure."
              success_criteria: "Adoptée."
          PIL.1.03: "pas une liste"
        """,
    )
    with pytest.raises(SuggestionsError) as error:
        load_suggestions(path)
    assert error.value.problems == [
        "suggestions.yaml, ligne 7, indicateur PIL.1.01, action 1 : clé « owner » inconnue "
        "(attendues : description, means, success_criteria, title)",
        "suggestions.yaml, ligne 8, indicateur PIL.1.01, action 2 : titre déjà donné ligne 3 pour cet indicateur",
        "suggestions.yaml, ligne 12, indicateur PIL.9.99 : « PIL.9.99 » n'est pas un indicateur du référentiel",
        "suggestions.yaml, ligne 18, indicateur PIL.1.02, action 1 : « title » dépasse 300 caractères",
        "suggestions.yaml, ligne 18, indicateur PIL.1.02, action 1 : champ « description » manquant",
        "suggestions.yaml, ligne 21, indicateur PIL.1.03 : une liste d'actions suggérées est attendue",
    ]
    assert not SuggestedAction.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SUGGESTIONS_CHANGED).exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("suggestions: [\n", "suggestions.yaml, ligne 2, colonne 1 : YAML invalide"),
        ("- PIL.1.01\n", "suggestions.yaml, ligne 1, racine : une table (clé : valeur) est attendue"),
        ("titre: x\n", "suggestions.yaml, ligne 1, racine : clé « titre » inconnue"),
        ("description: x\n", "suggestions.yaml, ligne 1, racine : « suggestions » : une table code"),
        ("suggestions:\n  PIL.1.01: []\n  PIL.1.01: []\n", "suggestions.yaml, ligne 3 : clé « PIL.1.01 » en double"),
        (
            'suggestions:\n  PIL.1.01:\n    - title: "Écrire\\nle volet"\n      description: "d"\n'
            '      means: "m"\n      success_criteria: "c"\n',
            "suggestions.yaml, ligne 3, indicateur PIL.1.01, action 1 : « title » contient un caractère de contrôle",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_its_line(tmp_path, text, problem):
    with pytest.raises(SuggestionsError) as error:
        load_suggestions(write(tmp_path, text))
    assert error.value.problems[0].startswith(problem)


def test_the_codes_are_those_of_the_loaded_versions(tmp_path):
    """With a version loaded, the catalogue may only name its indicators (« test-1 » has no PED)."""
    path = catalogue(tmp_path, {"PIL.1.01": ["Écrire le volet"], "PED.1.01": ["Recenser les usages"]})
    load_referential(MINI)
    with pytest.raises(SuggestionsError) as error:
        load_suggestions(path)
    assert error.value.problems == [
        "suggestions.yaml, ligne 7, indicateur PED.1.01 : « PED.1.01 » n'est pas un indicateur du référentiel"
    ]


def test_before_any_version_the_codes_are_those_of_the_shipped_referential(tmp_path):
    assert not Indicator.objects.exists()
    report = load_suggestions(catalogue(tmp_path, {"PED.1.01": ["Recenser les usages"]}))
    assert report.created == 1 and report.per_domain == {"PED": 1}


def test_the_command_prints_a_french_summary():
    out = io.StringIO()
    call_command("load_suggestions", stdout=out)
    text = out.getvalue()
    counts = Counter(code.split(".")[0] for code in SuggestedAction.objects.values_list("indicator_code", flat=True))
    assert f"{sum(counts.values())} suggestions livrées" in text
    assert f"PIL {counts['PIL']}" in text and "créées : " in text

    out = io.StringIO()
    call_command("load_suggestions", stdout=out)
    assert "Rien n'a changé." in out.getvalue()


def test_the_command_refuses_a_bad_file_and_names_the_line(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load_suggestions", str(write(tmp_path, "suggestions:\n  XYZ.1.01:\n    - title: x\n")))
    assert "Catalogue refusé, rien n'a été chargé" in str(error.value)
    assert "ligne 2, indicateur XYZ.1.01" in str(error.value)
    assert not SuggestedAction.objects.exists()
