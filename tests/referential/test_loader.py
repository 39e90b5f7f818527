import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pilotis.core.school_years import current_school_year
from pilotis.referential.loader import ReferentialError, bundled_files, load_referential
from pilotis.referential.models import CodeMapping, Indicator, ReferentialVersion

pytestmark = pytest.mark.django_db
MINI = Path(__file__).parent / "data" / "mini.yaml"


def write(tmp_path, text, name="ref.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_levels_domains_and_indicators():
    result = load_referential(MINI)
    assert (result.outcome, result.domains, result.indicators) == ("created", 2, 4)
    version = ReferentialVersion.objects.get(version="test-1")
    assert list(version.levels.values_list("number", flat=True)) == [1, 2]
    pil2 = Indicator.objects.get(version=version, code="PIL.2.01")
    assert (pil2.domain.code, pil2.level, pil2.position) == ("PIL", 2, 1)
    assert pil2.help.startswith("Réalisé")


def test_loading_twice_changes_nothing():
    load_referential(MINI)
    first = list(Indicator.objects.values_list("pk", flat=True))
    assert load_referential(MINI).outcome == "unchanged"
    assert list(Indicator.objects.values_list("pk", flat=True)) == first


def test_an_unused_version_can_be_corrected(tmp_path):
    load_referential(MINI)
    corrected = write(tmp_path, MINI.read_text(encoding="utf-8").replace("Existence d'une charte", "Charte"))
    assert load_referential(corrected).outcome == "updated"
    assert Indicator.objects.get(code="PIL.1.02").statement == "Charte d'usages"


def test_a_version_used_by_a_campaign_is_frozen(tmp_path):
    load_referential(MINI)
    ReferentialVersion.objects.update(locked_at=timezone.now())
    changed = write(tmp_path, MINI.read_text(encoding="utf-8").replace("Existence d'une charte", "Charte"))
    with pytest.raises(ReferentialError) as exc:
        load_referential(changed)
    assert "utilisée par une campagne" in str(exc.value)
    # Where to look: the file's `version` line.
    assert str(exc.value).startswith("ref.yaml, ligne 1, version : la version test-1 est utilisée")
    assert Indicator.objects.get(code="PIL.1.02").statement == "Existence d'une charte d'usages"
    # The same content under the same name is still accepted (nothing to change).
    assert load_referential(MINI).outcome == "unchanged"


def test_a_new_version_maps_old_codes(tmp_path):
    load_referential(MINI)
    text = MINI.read_text(encoding="utf-8").replace('version: "test-1"', 'version: "test-2"')
    text = text.replace("supersedes: null", 'supersedes: "test-1"').replace(
        "code_map: {}", "code_map:\n  PIL.1.02: PIL.1.01"
    )
    load_referential(write(tmp_path, text))
    mapping = CodeMapping.objects.get()
    assert (mapping.version.version, mapping.old_code, mapping.new_code) == ("test-2", "PIL.1.02", "PIL.1.01")
    assert ReferentialVersion.objects.get(version="test-2").supersedes.version == "test-1"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("code: PIL.1.02", "code: PIL.1.01", "ligne 20, indicateur PIL.1.01 : code déjà utilisé ligne 16"),
        ("code: INF.1.01", "code: INF.2.9", "indicateur INF.2.9 : « code » doit suivre la forme INF.1.01"),
        ("        level: 2\n", "        level: 4\n", "« level » doit être l'un des niveaux déclarés (1, 2)"),
        (
            '        statement: "Réseau Wi-Fi dans les salles"\n',
            "",
            "indicateur INF.1.01 : champ « statement » manquant",
        ),
        ("    position: 2\n", "    position: 1\n", "domaine INF : position 1 en double"),
        ("  - code: INF\n", "  - code: inf\n", "« code » : 2 à 10 lettres majuscules attendues"),
        ('        help: "Réalisé : toutes', '        aide: "Réalisé : toutes', "clé « aide » inconnue"),
        ("supersedes: null", 'supersedes: "nope"', "la version remplacée « nope » n'est pas chargée"),
    ],
)
def test_errors_name_the_place_in_the_file(tmp_path, old, new, expected):
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(ReferentialError) as exc:
        load_referential(path)
    assert expected in str(exc.value)
    assert str(exc.value).startswith("ref.yaml")
    assert ReferentialVersion.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("version: [unclosed", "YAML invalide"),
        ("- just\n- a list\n", "une table (clé : valeur) est attendue"),
        ("", "une table (clé : valeur) est attendue"),
        ("version: x\nversion: y\n", "clé « version » en double"),
    ],
)
def test_malformed_files(tmp_path, content, expected):
    with pytest.raises(ReferentialError) as exc:
        load_referential(write(tmp_path, content))
    assert expected in str(exc.value)


def test_latin1_file_is_refused(tmp_path):
    path = tmp_path / "ref.yaml"
    path.write_bytes(MINI.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    with pytest.raises(ReferentialError, match="UTF-8"):
        load_referential(path)


def test_command_reports_in_french(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("load_referential", str(write(tmp_path, "version: [")))
    assert "Référentiel refusé, rien n'a été chargé" in str(exc.value)


def test_bundled_referential_loads():
    files = bundled_files()
    assert [f.name for f in files] == ["schematic-2021.yaml"]
    call_command("load_referential", verbosity=0)
    version = ReferentialVersion.objects.get(version="2021")
    assert list(version.domains.values_list("code", flat=True)) == ["PIL", "PED", "FOR", "RES", "INF"]


# --- A version superseding the bundled 2021 one, with a code map ----------------------------------

NEXT = Path(__file__).parent / "data" / "supersedes-2021.yaml"


def line_of(text, needle):
    """The line (from 1) where `needle` first appears: what an error message must name."""
    return text[: text.index(needle)].count("\n") + 1


def load_next(tmp_path, old=None, new=None):
    """The test version superseding 2021, edited by a replacement, as `supersedes-2021.yaml`."""
    text = NEXT.read_text(encoding="utf-8")
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    path = write(tmp_path, text, NEXT.name)
    return text, path


def refused(path):
    with pytest.raises(ReferentialError) as exc:
        load_referential(path)
    return exc.value.problems


def test_start_from_previous_carries_answers_through_the_code_map(world):
    from pilotis.assessments import services
    from pilotis.assessments.models import Assessment

    call_command("load_referential", verbosity=0)
    v2021 = ReferentialVersion.objects.get(version="2021")
    # Last school year's campaign, then this year's (a campaign answers once its opening day has come).
    start = int(current_school_year()[:4])
    year1 = services.open_campaign(
        academy=world.bordeaux,
        school_year=f"{start - 1}-{start}",
        referential=v2021,
        opens_on=datetime.date(start - 1, 9, 1),
        closes_on=datetime.date(start, 6, 30),
        by=world.dane,
    )
    given = {  # 2021 code: (status, comment); each distinct, so that a swap would show
        "PIL.1.01": ("realise", "projet voté"),
        "PIL.1.02": ("en_cours", "charte en rédaction"),
        "PIL.1.03": ("realise", "RUPN désigné"),
        "PIL.1.06": ("non_realise", "CARTOUN pas encore présenté"),
        "PED.1.01": ("realise", "domaine absent de la nouvelle version"),
        "INF.1.01": ("en_cours", "fibre commandée"),
    }
    for code, (status, comment) in given.items():
        indicator = Indicator.objects.get(version=v2021, code=code)
        services.save_answer(year1, world.school_a, indicator, status=status, comment=comment, by=world.rupn_a)
    services.close_campaign(year1, by=world.dane)

    assert load_referential(NEXT).outcome == "created"
    newer = ReferentialVersion.objects.get(version="2027-essai")
    assert newer.supersedes == v2021
    year2 = services.open_campaign(
        academy=world.bordeaux,
        school_year=f"{start}-{start + 1}",
        referential=newer,
        opens_on=datetime.date(start, 9, 1),
        closes_on=datetime.date(start + 1, 6, 30),
        by=world.dane,
    )

    assert services.start_from_previous(year2, world.school_a, by=world.rupn_a) == 5
    carried = Assessment.objects.get(campaign=year2, school=world.school_a)
    assert {
        a.indicator.code: (a.indicator.version.version, a.status, a.comment)
        for a in carried.answers.select_related("indicator__version")
    } == {
        "PIL.1.01": ("2027-essai", "realise", "projet voté"),  # same code, kept
        "PIL.1.03": ("2027-essai", "en_cours", "charte en rédaction"),  # was PIL.1.02
        "PIL.2.02": ("2027-essai", "realise", "RUPN désigné"),  # was PIL.1.03, now level 2
        "PIL.1.02": ("2027-essai", "non_realise", "CARTOUN pas encore présenté"),  # was PIL.1.06
        "INF.1.01": ("2027-essai", "en_cours", "fibre commandée"),  # same code, kept
    }
    assert carried.started_from.campaign == year1


def test_a_code_map_entry_for_a_code_the_old_version_lacks_names_its_line(tmp_path):
    call_command("load_referential", verbosity=0)
    text, path = load_next(tmp_path, "  PIL.1.03: PIL.2.02\n", "  PIL.1.03: PIL.2.02\n  PIL.9.99: PIL.2.01\n")
    assert refused(path) == [
        f"supersedes-2021.yaml, ligne {line_of(text, 'PIL.9.99')}, code_map : "
        "« PIL.9.99 » n'est pas un indicateur de la version 2021"
    ]
    assert not ReferentialVersion.objects.filter(version="2027-essai").exists()


def test_a_code_map_target_missing_from_the_new_version_names_its_line(tmp_path):
    call_command("load_referential", verbosity=0)
    text, path = load_next(tmp_path, "PIL.1.06: PIL.1.02", "PIL.1.06: PIL.1.09")
    assert refused(path) == [
        f"supersedes-2021.yaml, ligne {line_of(text, 'PIL.1.06:')}, code_map : "
        "« PIL.1.09 » n'est pas un indicateur de cette version"
    ]
    assert not ReferentialVersion.objects.filter(version="2027-essai").exists()


def test_a_code_map_needs_supersedes(tmp_path):
    call_command("load_referential", verbosity=0)
    text, path = load_next(tmp_path, 'supersedes: "2021"', "supersedes: null")
    assert refused(path) == [
        f"supersedes-2021.yaml, ligne {line_of(text, 'code_map:')}, code_map : "
        "une correspondance de codes suppose « supersedes »"
    ]


def test_two_old_codes_may_not_go_to_one_new_code(tmp_path):
    call_command("load_referential", verbosity=0)
    text, path = load_next(tmp_path, "  PIL.1.03: PIL.2.02\n", "  PIL.1.03: PIL.2.02\n  PIL.1.04: PIL.1.02\n")
    assert refused(path) == [
        f"supersedes-2021.yaml, ligne {line_of(text, 'PIL.1.04:')}, code_map : « PIL.1.04 » et « PIL.1.06 » "
        f"(ligne {line_of(text, 'PIL.1.06:')}) vont tous deux vers « PIL.1.02 »"
    ]
    assert not ReferentialVersion.objects.filter(version="2027-essai").exists()


def test_a_superseded_version_not_loaded_names_the_supersedes_line(tmp_path):
    text, path = load_next(tmp_path)
    assert refused(path) == [
        f"supersedes-2021.yaml, ligne {line_of(text, 'supersedes:')}, supersedes : "
        "la version remplacée « 2021 » n'est pas chargée : chargez-la d'abord"
    ]
    assert ReferentialVersion.objects.count() == 0


def test_a_locked_version_refused_names_the_version_line(tmp_path):
    call_command("load_referential", verbosity=0)
    load_referential(NEXT)
    ReferentialVersion.objects.filter(version="2027-essai").update(locked_at=timezone.now())
    text, path = load_next(tmp_path, "Un RUPN désigné", "Un RUPN nommé")
    assert refused(path) == [
        f"supersedes-2021.yaml, ligne {line_of(text, 'version:')}, version : la version 2027-essai est utilisée "
        "par une campagne et ne peut plus changer ; publiez une nouvelle version qui la remplace "
        '(supersedes: "2027-essai").'
    ]
    assert Indicator.objects.get(version__version="2027-essai", code="PIL.2.02").statement.startswith("Un RUPN désigné")


def test_moving_comments_and_blank_lines_keeps_the_checksum(tmp_path):
    """Line numbers are kept beside the content, never in it: a file whose comments moved is the
    same version, which a campaign may be using."""
    call_command("load_referential", verbosity=0)
    load_referential(NEXT)
    ReferentialVersion.objects.filter(version="2027-essai").update(locked_at=timezone.now())
    _text, path = load_next(tmp_path, "# A later version", "\n\n# Moved down.\n# A later version")
    assert load_referential(path).outcome == "unchanged"
