from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

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
