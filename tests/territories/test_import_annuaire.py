"""The import of the "Annuaire de l'éducation" CSV export: real files are imported whole, a damaged
one is refused line by line and leaves the database as it was, and the file is streamed.

Real files: the fixtures of tests/territories/data (rows copied from the open data), the national
file shipped in data/, and — when present — the full Ille-et-Vilaine 2023 export of the shared
data. Malformed files are derived from the fixtures in tmp_path; each must be refused with its
line numbers and leave the database exactly as it was.
"""

import csv
import datetime
import gc
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotis.core.enums import AuditAction
from pilotis.core.models import AuditEvent
from pilotis.territories import importers
from pilotis.territories.importers import (
    AnnuaireFormatError,
    AnnuaireImportError,
    AnnuaireOptionError,
    ImportReport,
    import_annuaire,
)
from pilotis.territories.models import Academy, Department, School
from tests.factories import SchoolFactory

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "annuaire-sample.csv"  # current layout, 14 collèges and lycées
SAMPLE_2023 = DATA / "annuaire-2023-sample.csv"  # 2023 layout, every type
FICTITIOUS = DATA / "annuaire-header-2026-fictitious.csv"
NATIONAL = Path(settings.BASE_DIR) / "data" / "etablissements-second-degre-france.csv"
ILLE_ET_VILAINE_2023 = DATA / "annuaire-ille-et-vilaine-2023.csv"

pytestmark = pytest.mark.django_db


# --- Helpers -------------------------------------------------------------------------------


def run(*args) -> str:
    """Run the command as `manage.py` would; its standard output."""
    out = io.StringIO()
    call_command("import_annuaire", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args) -> tuple[str, str]:
    """Run the command expecting a CommandError: (its message, the standard output)."""
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_annuaire", *map(str, args), stdout=out, stderr=io.StringIO())
    return str(error.value), out.getvalue()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return rows[0], rows[1:]


def write_rows(path: Path, header, rows, *, delimiter=";", encoding="utf-8-sig", line_end="\r\n") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def damaged_copy(tmp_path: Path, changes: dict[int, dict[str, str]], source: Path = SAMPLE) -> Path:
    """A copy of `source` where changes = {line number: {column: new value}} (header = line 1)."""
    header, rows = read_rows(source)
    for line, values in changes.items():
        for column, value in values.items():
            rows[line - 2][header.index(column)] = value
    return write_rows(tmp_path / "damaged.csv", header, rows)


def line_of(uai: str, path: Path = SAMPLE) -> int:
    _, rows = read_rows(path)
    return next(i for i, row in enumerate(rows, start=2) if row[0] == uai)


def summary(output: str) -> dict[str, int]:
    """'Créés : 3' lines of the summary → {'Créés': 3, ...}."""
    counts = {}
    for line in output.splitlines():
        label, _, value = line.partition(" : ")
        if label in {"Lignes lues", "Créés", "Mis à jour", "Inchangés", "Ignorés", "Rejetés"}:
            counts[label] = int(value.split()[0])
    return counts


@pytest.fixture
def untouched():
    """A database holding one school; the test ends checking nothing was written to it."""
    school = SchoolFactory(name="Collège Témoin")
    before = (School.objects.count(), Academy.objects.count(), Department.objects.count())
    yield school
    assert (School.objects.count(), Academy.objects.count(), Department.objects.count()) == before
    assert School.objects.get().name == "Collège Témoin"
    assert not AuditEvent.objects.exists()


def school_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "territories_" in q["sql"]
    ]


# --- Real files ----------------------------------------------------------------------------


def test_current_layout_sample_is_imported_field_by_field():
    output = run(SAMPLE)

    assert summary(output) == {
        "Lignes lues": 14,
        "Créés": 14,
        "Mis à jour": 0,
        "Inchangés": 0,
        "Ignorés": 0,
        "Rejetés": 0,
    }
    assert "Import terminé." in output
    bordeaux = Academy.objects.get(code="04")
    assert bordeaux.name == "Bordeaux"
    landes = Department.objects.get(code="040")
    assert (landes.name, landes.academy) == ("Landes", bordeaux)
    assert Department.objects.get(code="02A").academy.code == "27"
    assert Department.objects.get(code="971").name == "Guadeloupe"

    college = School.objects.get(uai="0400003L")
    assert college.name == "Collège du Pays des Luys"
    assert college.kind == "college"
    assert college.sector == "public"
    assert college.priority_education == ""
    assert college.department == landes
    assert college.commune == "Amou"
    assert college.commune_code == "40002"
    assert college.postal_code == "40330"
    assert college.nature_code == "340"
    assert college.is_open is True
    assert college.source_updated_on is None
    assert college.parent_uai == ""
    college.full_clean()  # what the import wrote passes the model's own validation

    lycee = School.objects.get(uai="0331488N")
    assert (lycee.name, lycee.kind, lycee.sector) == ("LYCEE GENERAL PRIVE SAINT ELME", "lycee_gt", "prive")
    assert School.objects.get(uai="0400002K").kind == "lycee_poly"


def test_fictitious_current_layout_maps_every_field():
    output = run(FICTITIOUS)

    assert summary(output)["Créés"] == 6
    assert "Ignorés : 2 (Ecole : 1, Service Administratif : 1)" in output
    college = School.objects.get(uai="0359901X")
    assert college.priority_education == "rep"
    assert college.email == "ce.0359901X@ac-rennes.fr"
    assert college.phone == "0299000001"
    assert college.address == "1 rue de l'Exemple"
    assert college.source_updated_on == datetime.date(2026, 5, 27)
    assert School.objects.get(uai="0359902Y").kind == "lycee_poly"
    assert School.objects.get(uai="0359902Y").phone == "02 99 00 00 02"
    sep = School.objects.get(uai="0359903Z")
    assert (sep.kind, sep.parent_uai, sep.nature_code) == ("lycee_pro", "0359902Y", "334")
    assert School.objects.get(uai="0359907D").sector == "prive"
    erea = School.objects.get(uai="0359904A")
    assert (erea.kind, erea.is_open) == ("erea", True)  # "A FERMER": still open
    creteil = School.objects.get(uai="0949901B")
    assert creteil.priority_education == "rep_plus"
    assert (creteil.department.code, creteil.department.academy.code) == ("094", "24")
    assert creteil.department.academy.name == "Créteil"


def test_2023_layout_imports_second_degree_and_skips_the_rest():
    output = run(SAMPLE_2023)

    assert summary(output) == {
        "Lignes lues": 19,
        "Créés": 11,
        "Mis à jour": 0,
        "Inchangés": 0,
        "Ignorés": 8,
        "Rejetés": 0,
    }
    for label in ("Ecole : 2", "Service Administratif : 1", "Médico-social : 1", "Autre : 1", "(type vide) : 1"):
        assert label in output
    assert "Information et orientation : 1" in output
    kinds = Counter(School.objects.values_list("kind", flat=True))
    assert kinds == {"college": 4, "lycee_gt": 3, "lycee_pro": 2, "lycee_poly": 1, "erea": 1}
    chalais = School.objects.get(uai="0350734H")
    assert chalais.postal_code == "35201"  # from "Code postal", with a space in the 2023 layout
    assert chalais.priority_education == "rep"
    assert chalais.source_updated_on == datetime.date(2023, 6, 8)
    assert School.objects.get(uai="0350963G").priority_education == "rep_plus"
    section = School.objects.get(uai="0352867B")
    assert (section.kind, section.parent_uai) == ("lycee_gt", "0350700W")  # 335: SEGT of a lycée
    assert School.objects.get(uai="0350710G").kind == "lycee_gt"  # 302
    assert School.objects.get(uai="0351962T").kind == "lycee_pro"  # 320
    assert not School.objects.filter(kind="ecole").exists()


def test_multi_site_uai_is_one_school_its_main_site():
    """The export lists a school with several sites once per site, flagged multi-lignes."""
    output = run(SAMPLE_2023)

    assert "site secondaire d'un UAI multi-lignes : 1" in output
    school = School.objects.get(uai="0350852L")
    assert (school.name, school.commune) == ("Collège Saint-Joseph", "Bruz")  # not the "annexe" line


def test_2023_layout_with_ecoles():
    output = run(SAMPLE_2023, "--include-ecoles")

    assert summary(output)["Créés"] == 13
    maternelle = School.objects.get(uai="0350944L")
    assert (maternelle.kind, maternelle.priority_education) == ("ecole", "rep_plus")
    closing = School.objects.get(uai="0351383N")
    assert (closing.kind, closing.sector, closing.is_open) == ("ecole", "prive", True)


def test_real_ille_et_vilaine_2023_export():
    output = run(ILLE_ET_VILAINE_2023)

    # 117 collèges + 86 lycées + 2 EREA, three of them second sites of a multi-site UAI.
    assert summary(output) == {
        "Lignes lues": 996,
        "Créés": 202,
        "Mis à jour": 0,
        "Inchangés": 0,
        "Ignorés": 794,
        "Rejetés": 0,
    }
    assert "Ecole : 685" in output
    assert Counter(School.objects.values_list("kind", flat=True)) == {
        "college": 116,
        "lycee_gt": 29,
        "lycee_pro": 43,
        "lycee_poly": 12,
        "erea": 2,
    }

    output = run(ILLE_ET_VILAINE_2023, "--include-ecoles")
    assert summary(output)["Créés"] == 685
    assert summary(output)["Inchangés"] == 202


def test_national_file_restricted_to_bordeaux():
    output = run(NATIONAL, "--academy", "04")

    counts = summary(output)
    assert (counts["Créés"], counts["Rejetés"]) == (589, 0)
    assert "hors périmètre : 10659" in output
    per_department = Counter(School.objects.values_list("department__code", flat=True))
    assert per_department == {"024": 76, "033": 241, "040": 70, "047": 57, "064": 145}
    colleges = Counter(School.objects.filter(kind="college").values_list("department__code", flat=True))
    assert colleges == {"024": 52, "033": 161, "040": 50, "047": 41, "064": 93}
    assert list(Academy.objects.values_list("code", "name")) == [("04", "Bordeaux")]
    assert Department.objects.get(code="064").name == "Pyrénées-Atlantiques"

    # Second run: everything unchanged, and not one row written.
    with CaptureQueriesContext(connection) as queries:
        output = run(NATIONAL, "--academy", "04")
    assert summary(output)["Créés"] == summary(output)["Mis à jour"] == 0
    assert summary(output)["Inchangés"] == 589
    assert school_writes(queries.captured_queries) == []


def test_restriction_to_departments():
    output = run(SAMPLE, "--department", "040", "--department", "64")

    assert summary(output)["Créés"] == 4
    assert "hors périmètre : 10" in output
    assert set(School.objects.values_list("department__code", flat=True)) == {"040", "064"}


def test_invalid_restriction_code(untouched):
    message, _ = run_failing(SAMPLE, "--department", "4O")
    assert message == "Code département invalide : « 04O » (ex. 040, 02A)."
    with pytest.raises(AnnuaireOptionError):
        import_annuaire(SAMPLE, academies=["Bordeaux"])


def test_second_run_writes_nothing_and_a_changed_name_is_one_update(tmp_path):
    run(SAMPLE)
    with CaptureQueriesContext(connection) as queries:
        output = run(SAMPLE)
    assert summary(output) | {"Lignes lues": 0} == {
        "Lignes lues": 0,
        "Créés": 0,
        "Mis à jour": 0,
        "Inchangés": 14,
        "Ignorés": 0,
        "Rejetés": 0,
    }
    assert school_writes(queries.captured_queries) == []

    changed = damaged_copy(tmp_path, {line_of("0470005A"): {"Nom_etablissement": "Collège Jasmin"}})
    output = run(changed)
    assert (summary(output)["Mis à jour"], summary(output)["Inchangés"]) == (1, 13)
    assert School.objects.get(uai="0470005A").name == "Collège Jasmin"


def test_a_school_moving_department_is_updated(tmp_path):
    run(SAMPLE)
    moved = damaged_copy(
        tmp_path,
        {line_of("0400003L"): {"Code_departement": "064", "Libelle_departement": "Pyrénées-Atlantiques"}},
    )
    assert summary(run(moved))["Mis à jour"] == 1
    assert School.objects.get(uai="0400003L").department.code == "064"


def test_dry_run_writes_nothing(untouched):
    output = run(SAMPLE, "--dry-run")

    assert "Simulation (--dry-run) : rien n'a été écrit dans la base." in output
    assert summary(output)["Créés"] == 14
    assert "Import terminé." not in output


def test_an_import_is_audited():
    run(SAMPLE_2023)

    event = AuditEvent.objects.get()
    assert event.action == AuditAction.IMPORT
    assert event.actor is None
    assert event.actor_label == "import_annuaire"
    assert event.after["created"] == 11
    assert event.after["rejected"] == 0
    assert event.after["skipped"]["Ecole"] == 2
    assert event.after["file"] == "annuaire-2023-sample.csv"


class Terminal(io.StringIO):
    """A standard error that says it is a terminal: tqdm draws its bar on nothing else."""

    def isatty(self):
        return True


def test_service_function_and_report(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    report = import_annuaire(SAMPLE_2023, include_ecoles=True, progress=True)

    assert isinstance(report, ImportReport)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (13, 0, 0, [])
    assert report.skipped["Médico-social"] == 1
    assert report.skipped_count == 6
    assert report.written is True
    # One bar per pass, in bytes of the file.
    size = f"{SAMPLE_2023.stat().st_size / 1000:.1f}k"
    assert "Vérification:   0%|" in terminal.getvalue()
    assert "Écriture:   0%|" in terminal.getvalue()
    assert f"/{size} [" in terminal.getvalue()

    terminal.seek(0)
    terminal.truncate()
    again = import_annuaire(SAMPLE_2023, include_ecoles=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 13)
    assert terminal.getvalue() == ""  # no bar unless asked for


def test_the_command_shows_a_progress_bar(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    run(SAMPLE)
    assert "Vérification:" in terminal.getvalue()
    assert "Écriture:" in terminal.getvalue()


def test_header_names_are_normalised(tmp_path):
    """API export: lower-case names; 'Code postal' or 'Code_postal'; spaces, accents, no BOM."""
    header, rows = read_rows(SAMPLE)
    header = [f" {name.lower()} " for name in header]
    header[header.index(" code_postal ")] = "Code postal"
    header[header.index(" libelle_departement ")] = "Libellé département"
    path = write_rows(tmp_path / "api.csv", header, rows, encoding="utf-8", line_end="\n")

    assert summary(run(path))["Créés"] == 14
    assert School.objects.get(uai="0400003L").postal_code == "40330"
    assert Department.objects.get(code="040").name == "Landes"


def test_kind_from_nature_then_type(tmp_path):
    header, rows = read_rows(FICTITIOUS)
    template = rows[0]
    cases = [
        ("Collège", "340", "college"),
        ("Collège", "350", "college"),
        ("Collège", "352", "college"),
        ("Collège", "", "college"),
        ("Lycée", "300", "lycee_gt"),
        ("Lycée", "302", "lycee_gt"),
        ("Lycée", "335", "lycee_gt"),
        ("Lycée", "306", "lycee_poly"),
        ("Lycée", "320", "lycee_pro"),
        ("Lycée", "334", "lycee_pro"),
        ("Lycée", "301", "lycee"),
        ("EREA", "370", "erea"),
        ("Ecole", "151", "ecole"),
    ]
    rows = []
    for n, (kind, nature, _) in enumerate(cases):
        row = list(template)
        digits = f"{3590000 + n:07d}"
        row[0] = digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]
        row[header.index("Type_etablissement")] = kind
        row[header.index("code_nature")] = nature
        rows.append(row)
    path = write_rows(tmp_path / "kinds.csv", header, rows)

    report = import_annuaire(path, include_ecoles=True)

    assert report.created == len(cases)
    found = [School.objects.get(uai=row[0]).kind for row in rows]
    assert found == [expected for _, _, expected in cases]


def test_closed_school(tmp_path):
    path = damaged_copy(tmp_path, {2: {"etat": "FERME"}}, source=FICTITIOUS)
    import_annuaire(path)
    assert School.objects.get(uai="0359901X").is_open is False


def test_header_only_file_imports_nothing(tmp_path):
    header, _ = read_rows(SAMPLE)
    output = run(write_rows(tmp_path / "header.csv", header, []))
    assert summary(output) == {
        "Lignes lues": 0,
        "Créés": 0,
        "Mis à jour": 0,
        "Inchangés": 0,
        "Ignorés": 0,
        "Rejetés": 0,
    }


def test_blank_lines_are_ignored(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(SAMPLE.read_bytes() + b"\r\n\r\n")
    assert summary(run(path))["Créés"] == 14


# --- Files that are not the export: one French sentence, nothing written ---------------------


def test_a_file_of_mostly_blank_lines_is_refused_before_its_end(tmp_path, untouched):
    """A header then megabytes of blank lines is not the export: refused once blank lines pass
    the tolerance and outnumber the others, without reading on (a school line after them is not
    reached)."""
    header, rows = read_rows(SAMPLE)
    path = write_rows(tmp_path / "blank.csv", header, [[]] * (importers.reading.MAX_BLANK_LINES + 500) + rows)
    message, _ = run_failing(path)
    assert message == (
        "Le fichier contient surtout des lignes vides (1001 vides pour 0 remplies dès la ligne 1002) : "
        "ce n'est pas l'export CSV de l'annuaire."
    )


def test_blank_lines_among_more_filled_ones_are_tolerated(tmp_path, monkeypatch):
    monkeypatch.setattr(importers.reading, "MAX_BLANK_LINES", 3)
    header, rows = read_rows(SAMPLE)
    path = write_rows(tmp_path / "blank.csv", header, rows[:5] + [[]] * 4 + rows[5:])
    assert summary(run(path))["Créés"] == 14


def test_the_number_of_lines_is_capped(tmp_path, settings):
    settings.ANNUAIRE_MAX_LINES = 10
    message, _ = run_failing(SAMPLE)
    assert message == (
        "Le fichier dépasse 10 lignes, la limite de l'import (réglage ANNUAIRE_MAX_LINES) : "
        "ce n'est pas l'export CSV de l'annuaire."
    )
    settings.ANNUAIRE_MAX_LINES = 15  # the header and 14 schools
    assert summary(run(SAMPLE))["Créés"] == 14


def test_the_default_cap_leaves_room_for_the_whole_annuaire():
    assert settings.ANNUAIRE_MAX_LINES >= 100_000  # the national export with its écoles is ~70,000


def test_the_write_transaction_neither_reads_nor_parses_the_file(tmp_path, monkeypatch):
    """Pass 2 writes what pass 1 planned: the CSV is gone once pass 1 is over, and nothing is
    parsed inside the transaction (which holds SQLite's write lock for the rows only)."""
    path = tmp_path / "sample.csv"
    path.write_bytes(SAMPLE.read_bytes())
    validate, parse = importers._validate, importers.rows.parse_row
    depth = len(connection.atomic_blocks)
    parsed_in_transaction = []

    def validate_then_delete(*args):
        validate(*args)
        path.unlink()

    def watched_parse(*args):
        parsed_in_transaction.append(len(connection.atomic_blocks) > depth)
        return parse(*args)

    monkeypatch.setattr(importers, "_validate", validate_then_delete)
    monkeypatch.setattr(importers.rows, "parse_row", watched_parse)
    report = import_annuaire(path)

    assert report.written and report.created == 14
    assert School.objects.count() == 14
    assert parsed_in_transaction == [False] * 14


def test_missing_columns(tmp_path, untouched):
    header, rows = read_rows(SAMPLE)
    drop = {header.index("Code_departement"), header.index("Libelle_academie")}
    header = [name for i, name in enumerate(header) if i not in drop]
    rows = [[value for i, value in enumerate(row) if i not in drop] for row in rows]

    message, _ = run_failing(write_rows(tmp_path / "columns.csv", header, rows))

    assert message == (
        "Ce fichier n'est pas l'export CSV de l'annuaire de l'éducation : colonnes obligatoires absentes : "
        "Code_departement, Libelle_academie."
    )


@pytest.mark.parametrize(("delimiter", "name"), [(",", "la virgule"), ("\t", "la tabulation")])
def test_wrong_separator(tmp_path, untouched, delimiter, name):
    header, rows = read_rows(SAMPLE)
    message, _ = run_failing(write_rows(tmp_path / "sep.csv", header, rows, delimiter=delimiter))
    assert message == (
        f"Les colonnes sont séparées par {name} : l'export de l'annuaire doit utiliser le point-virgule « ; » "
        "comme séparateur."
    )


def test_latin_1_file(tmp_path, untouched):
    header, rows = read_rows(SAMPLE)
    path = write_rows(tmp_path / "latin1.csv", header, rows, encoding="latin-1")
    first_accent = next(i for i, row in enumerate(rows, start=2) if any(ord(c) > 127 for c in ";".join(row)))

    message, _ = run_failing(path)

    assert message == (
        f"Le fichier n'est pas encodé en UTF-8 (ligne {first_accent}) : réenregistrez-le au format « CSV UTF-8 » "
        "ou téléchargez de nouveau l'export de l'annuaire."
    )


def test_utf_16_file(tmp_path, untouched):
    header, rows = read_rows(SAMPLE)
    message, _ = run_failing(write_rows(tmp_path / "utf16.csv", header, rows, delimiter="\t", encoding="utf-16"))
    assert "n'est pas encodé en UTF-8" in message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n"])
def test_empty_file(tmp_path, untouched, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    message, _ = run_failing(path)
    assert message == "Le fichier est vide."


def test_missing_file_and_directory(tmp_path, untouched):
    message, _ = run_failing(tmp_path / "absent.csv")
    assert message == f"Le fichier {tmp_path / 'absent.csv'} est introuvable."
    message, _ = run_failing(tmp_path)
    assert message == f"{tmp_path} est un dossier, pas un fichier CSV."


def test_repeated_column(tmp_path, untouched):
    header, rows = read_rows(SAMPLE)
    header[header.index("Adresse_2")] = "Code postal"
    message, _ = run_failing(write_rows(tmp_path / "twice.csv", header, rows))
    assert message == "La colonne Code postal apparaît plusieurs fois dans l'en-tête (colonnes 6, 8)."


def test_service_raises_a_format_error(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("nom;prénom\nMartin;Camille\n", encoding="utf-8")
    with pytest.raises(AnnuaireFormatError, match="colonnes obligatoires absentes : Identifiant_de_l_etablissement"):
        import_annuaire(path)


CR_LINE_ENDS = (
    "Les fins de ligne du fichier ne sont pas reconnues (retour chariot seul, format « CSV Macintosh ») : "
    "réenregistrez-le au format « CSV UTF-8 » ou téléchargez de nouveau l'export de l'annuaire."
)


def test_mac_line_ends(tmp_path, untouched):
    """Excel's "CSV (Macintosh)" ends lines with CR alone: one sentence, no traceback."""
    header, rows = read_rows(SAMPLE)
    message, _ = run_failing(write_rows(tmp_path / "mac.csv", header, rows, line_end="\r"))
    assert message == CR_LINE_ENDS

    # Larger than a line may be: refused as soon as the limit is read, not held in memory.
    big = write_rows(tmp_path / "mac-big.csv", header, rows * 300, line_end="\r")
    assert big.stat().st_size > importers.reading.MAX_LINE_BYTES
    with pytest.raises(AnnuaireFormatError) as error:
        import_annuaire(big)
    assert str(error.value) == CR_LINE_ENDS


def test_a_line_longer_than_any_of_the_export(tmp_path, untouched):
    path = tmp_path / "long.csv"
    path.write_bytes(SAMPLE.read_bytes() + b"x" * (importers.reading.MAX_LINE_BYTES + 10))
    message, _ = run_failing(path)
    assert message == "La ligne 16 dépasse 1 Mo : ce fichier n'est pas l'export CSV de l'annuaire."


def test_unreadable_header(tmp_path, untouched):
    header, rows = read_rows(SAMPLE)
    header[1] = "N" * 200_000  # past the csv module's field limit
    message, _ = run_failing(write_rows(tmp_path / "header.csv", header, rows))
    assert message == (
        "La première ligne du fichier n'est pas un en-tête CSV lisible : ce fichier n'est pas l'export CSV de "
        "l'annuaire."
    )


def test_a_bare_carriage_return_in_a_line(tmp_path):
    """The csv module refuses the line in English; the report says why in French, and goes on."""
    lines = SAMPLE.read_bytes().split(b"\r\n")
    lines[2] = lines[2].replace(b"MAINE DE BIRAN", b"MAINE\rDE BIRAN")  # line 3, unquoted
    path = tmp_path / "cr-in-line.csv"
    path.write_bytes(b"\r\n".join(lines))

    message, output = run_failing(path)

    assert message.startswith("1 ligne rejetée")
    assert summary(output)["Lignes lues"] == 14
    assert (
        "  ligne 3 (0240005A) : retour chariot isolé dans la ligne (fins de ligne « CSV Macintosh » ?) : "
        "réenregistrez le fichier au format « CSV UTF-8 »"
    ) in output
    assert "new-line" not in output and "newline" not in output
    assert not School.objects.exists()

    # The lines after it are read as usual.
    report = import_annuaire(path, accept_partial=True)
    assert (report.created, report.rejected_count) == (13, 1)
    assert not School.objects.filter(uai="0240005A").exists()


# --- Lines that cannot be trusted: rejected with their line number, nothing written ----------


def test_spreadsheet_damage_is_reported_not_guessed(tmp_path, untouched):
    path = damaged_copy(
        tmp_path,
        {
            3: {"Code_departement": "35"},
            5: {"Code_academie": "1,40E+01"},
            6: {"date_maj_ligne": "27/05/2026"},
        },
    )

    message, output = run_failing(path)

    assert message == (
        "3 lignes rejetées : rien n'a été importé ; corrigez le fichier, ou relancez avec --accept-partial pour "
        "importer les lignes valides."
    )
    assert summary(output)["Rejetés"] == 3
    assert summary(output)["Créés"] == 0
    assert (
        "ligne 3 (0240005A) : code département « 35 » invalide : 3 caractères attendus (035, 02A), le fichier "
        "a-t-il été ouvert dans un tableur ?"
    ) in output
    assert (
        "ligne 5 (0330008E) : code académie « 1,40E+01 » invalide : 2 chiffres attendus (04, 14), le fichier a-t-il "
        "été ouvert dans un tableur ?"
    ) in output
    assert "ligne 6 (0331488N) : date de mise à jour « 27/05/2026 » invalide : format AAAA-MM-JJ attendu" in output


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("Identifiant_de_l_etablissement", "0400003M", "lettre de contrôle de l'UAI 0400003M incorrecte (L attendue)"),
        (
            "Identifiant_de_l_etablissement",
            "400003L",
            "UAI « 400003L » mal formé : 7 chiffres suivis d'une lettre majuscule attendus",
        ),
        ("Identifiant_de_l_etablissement", "", "identifiant UAI manquant"),
        ("Code_departement", "", "code département manquant"),
        ("Code_departement", "4,00E+01", "code département « 4,00E+01 » invalide"),
        ("Code_academie", "4.0", "code académie « 4.0 » invalide"),
        # "04" through a spreadsheet: it would have made a fake académie "4" and moved the Landes there.
        (
            "Code_academie",
            "4",
            "code académie « 4 » invalide : 2 chiffres attendus (04, 14), le fichier a-t-il été ouvert dans un tableur ?",
        ),
        ("Code_academie", "004", "code académie « 004 » invalide"),
        ("Mail", "pas-une-adresse", "courriel « pas-une-adresse » invalide"),
        ("Mail", "ce.0400003L@ac-bordeaux", "courriel « ce.0400003L@ac-bordeaux » invalide"),
        (
            "Telephone",
            "558123456",  # 05 58 12 34 56 without its leading zero
            "téléphone « 558123456 » invalide : 10 chiffres commençant par 0 (ou +33…) attendus, le fichier a-t-il "
            "été ouvert dans un tableur ?",
        ),
        ("Telephone", "5,58E+08", "téléphone « 5,58E+08 » invalide"),
        ("Telephone", "05 58 12 34", "téléphone « 05 58 12 34 » invalide"),
        ("Telephone", "+33 5 58 12 34", "téléphone « +33 5 58 12 34 » invalide"),
        (
            "Appartenance_Education_Prioritaire",
            "REP++",
            "éducation prioritaire « REP++ » inconnue (REP, REP+ ou vide)",
        ),
        ("Appartenance_Education_Prioritaire", "ECLAIR", "éducation prioritaire « ECLAIR » inconnue"),
        (
            "code_nature",
            "300",  # a "Collège" line whose nature says lycée
            "code nature 300 (Lycée général et technologique) incompatible avec le type « Collège »",
        ),
        ("code_nature", "370", "code nature 370 (EREA) incompatible avec le type « Collège »"),
        ("code_nature", "34", "code nature « 34 » invalide : 3 chiffres attendus"),
        ("Code_postal", "4330", "code postal « 4330 » invalide : 5 chiffres attendus"),
        ("Code_postal", "9" * 5000, f"code postal « {'9' * 39}… » invalide"),  # echoed values are cut short
        ("Code_commune", "4004", "code commune « 4004 » invalide"),
        ("date_maj_ligne", "2026-02-30", "date de mise à jour « 2026-02-30 » invalide"),
        ("date_maj_ligne", "46169", "date de mise à jour « 46169 » invalide"),
        ("Statut_public_prive", "", "statut public/privé manquant"),
        ("Statut_public_prive", "Associatif", "statut public/privé « Associatif » inconnu"),
        ("Nom_etablissement", "Collège\x00", "caractère de contrôle dans la colonne 2"),
        ("Adresse_1", "1 rue\x1b[31m", "caractère de contrôle dans la colonne 5"),
        ("Nom_etablissement", "C" * 201, "valeur trop longue pour « nom » (201 caractères, 200 au plus)"),
        ("Nom_commune", "A" * 121, "valeur trop longue pour « commune »"),
        ("Telephone", "0" * 31, "valeur trop longue pour « téléphone »"),
        ("etat", "SUPPRIME", "état « SUPPRIME » inconnu"),
        ("etablissement_mere", "0400003X", "UAI de l'établissement de rattachement « 0400003X » invalide"),
    ],
)
def test_untrusted_value_rejects_the_line(tmp_path, untouched, column, value, reason):
    line = line_of("0400003L")
    message, output = run_failing(damaged_copy(tmp_path, {line: {column: value}}))

    assert message.startswith("1 ligne rejetée : rien n'a été importé")
    rejected = [text for text in output.splitlines() if text.startswith("  ligne ")]
    assert len(rejected) == 1
    assert rejected[0].startswith(f"  ligne {line} ")
    assert reason in rejected[0]


def test_a_value_past_the_csv_module_s_limit(tmp_path, untouched):
    lines = SAMPLE.read_bytes().split(b"\r\n")
    lines[4] = lines[4].replace(b"Audenge", b"A" * 200_000)  # line 5
    path = tmp_path / "huge-value.csv"
    path.write_bytes(b"\r\n".join(lines))

    report = import_annuaire(path)

    assert report.rejected == [(5, "0330008E", "valeur de plus de 131072 caractères")]


def test_a_lycee_line_whose_nature_says_college(tmp_path, untouched):
    line = line_of("0240005A")
    report = import_annuaire(damaged_copy(tmp_path, {line: {"code_nature": "340"}}))
    assert report.rejected == [(line, "0240005A", "code nature 340 (Collège) incompatible avec le type « Lycée »")]


def test_real_shapes_of_contact_values_are_accepted(tmp_path):
    """The shapes the real exports hold (grouped by two or not, dotted, +33, an overseas code)."""
    values = {
        "0240001W": ("05 53 23 31 13", "ce.0240001W@ac-bordeaux.fr", "REP"),
        "0240005A": ("0553233113", "lycee.maine-de-biran@wanadoo.fr", "REP+"),
        "6200006M": ("04.95.20.50.73", "", ""),
        "0330008E": ("+33 5 56 26 73 02", "", "REP"),
        "9710015P": ("+590 590 23 45 67", "", ""),
        "0331488N": ("+687 27 12 34", "secretariat@st-elme.fr", ""),  # Nouvelle-Calédonie's shape
    }
    changes = {
        line_of(uai): {"Telephone": phone, "Mail": mail, "Appartenance_Education_Prioritaire": priority}
        for uai, (phone, mail, priority) in values.items()
    }
    report = import_annuaire(damaged_copy(tmp_path, changes))

    assert (report.created, report.rejected) == (14, [])
    stored = {s.uai: (s.phone, s.email, s.priority_education) for s in School.objects.filter(uai__in=values)}
    priorities = {"": "", "REP": "rep", "REP+": "rep_plus"}
    assert stored == {uai: (phone, mail, priorities[p]) for uai, (phone, mail, p) in values.items()}


def test_a_line_moving_its_department_to_another_academy(tmp_path, untouched):
    """Line 13 puts the Pyrénées-Atlantiques in Bordeaux; line 14 may not move them to Rennes."""
    path = damaged_copy(tmp_path, {14: {"Code_academie": "14", "Libelle_academie": "Rennes"}})

    report = import_annuaire(path)

    assert report.rejected == [
        (14, "0640003F", "académie 14 contradictoire : la ligne 13 rattache le département 064 à l'académie 04")
    ]
    assert report.written is False


DEPARTMENT_STAYS = (
    "académie 14 contradictoire : le département 040 relève de l'académie 04 dans Pilotis (un changement "
    "d'académie se fait dans l'administration)"
)


def test_the_import_never_moves_a_known_department_to_another_academy(tmp_path, untouched):
    # The Landes are in Bordeaux in the database (see `untouched`); the file says Rennes.
    landes = {"Code_academie": "14", "Libelle_academie": "Rennes"}
    path = damaged_copy(tmp_path, {9: landes, 10: landes})

    message, output = run_failing(path)

    assert message.startswith("2 lignes rejetées")
    assert f"  ligne 9 (0400002K) : {DEPARTMENT_STAYS}" in output
    assert f"  ligne 10 (0400003L) : {DEPARTMENT_STAYS}" in output


def test_accept_partial_leaves_a_department_in_its_academy(tmp_path):
    run(SAMPLE)
    landes = {"Code_academie": "14", "Libelle_academie": "Rennes"}
    path = damaged_copy(tmp_path, {9: landes, 10: landes | {"Nom_etablissement": "Collège d'Amou"}})

    output = run(path, "--accept-partial")

    assert (summary(output)["Rejetés"], summary(output)["Inchangés"], summary(output)["Mis à jour"]) == (2, 12, 0)
    assert Department.objects.get(code="040").academy.code == "04"
    assert Academy.objects.get(code="14").name == "Rennes"
    assert School.objects.get(uai="0400003L").name == "Collège du Pays des Luys"


def test_a_department_moved_between_the_two_passes_stops_the_import(tmp_path, monkeypatch, untouched):
    """Pass 2 never moves a département either: if the database changed after pass 1, it stops."""
    monkeypatch.setattr(importers.plan.DepartmentAcademies, "contradiction", lambda self, line, parsed: "")
    path = damaged_copy(tmp_path, {10: {"Code_academie": "14", "Libelle_academie": "Rennes"}})

    with pytest.raises(AnnuaireImportError, match="Le département 040 a changé d'académie pendant l'import"):
        import_annuaire(path)


def test_control_characters_are_not_echoed(tmp_path, untouched):
    path = damaged_copy(tmp_path, {2: {"Identifiant_de_l_etablissement": "0240001W\x1b[2J"}})
    report = import_annuaire(path)
    assert report.rejected == [(2, "0240001W?[2J", "caractère de contrôle dans la colonne 1")]


@pytest.mark.parametrize("value", ["Collège\u202eeid", "\ufeffCollège", "Collège\x85Nord"])
def test_format_characters_in_a_name_reject_the_line(tmp_path, untouched, value):
    """The forms' rule (`core.validators`): Unicode's control and format characters too."""
    path = damaged_copy(tmp_path, {2: {"Nom_etablissement": value}})
    report = import_annuaire(path)
    header, _ = read_rows(SAMPLE)
    column = header.index("Nom_etablissement") + 1
    assert [(line, reason) for line, _, reason in report.rejected] == [
        (2, f"caractère de contrôle dans la colonne {column}")
    ]


def test_bad_check_letter_with_the_service(tmp_path, untouched):
    path = damaged_copy(tmp_path, {7: {"Identifiant_de_l_etablissement": "0350002N"}})
    report = import_annuaire(path)
    assert report.rejected == [(7, "0350002N", "lettre de contrôle de l'UAI 0350002N incorrecte (M attendue)")]
    assert report.written is False


def test_duplicate_uai_rejects_both_lines(tmp_path, untouched):
    header, rows = read_rows(SAMPLE)
    rows.append(list(rows[8]))  # line 10, again as line 16
    rows[-1][header.index("Nom_etablissement")] = "Collège d'Amou"

    message, output = run_failing(write_rows(tmp_path / "dup.csv", header, rows))

    assert message.startswith("2 lignes rejetées")
    assert "  ligne 10 (0400003L) : UAI en double (aussi ligne 16)" in output
    assert "  ligne 16 (0400003L) : UAI en double (déjà ligne 10)" in output


def test_wrong_number_of_columns(tmp_path, untouched):
    lines = SAMPLE.read_bytes().split(b"\r\n")
    lines[3] = lines[3].replace(b"Arthur Giovoni", b"Arthur; Giovoni")
    path = tmp_path / "shifted.csv"
    path.write_bytes(b"\r\n".join(lines))

    _, output = run_failing(path)

    assert "  ligne 4 (6200006M) : 72 colonnes au lieu de 71 (point-virgule ou guillemet en trop ?)" in output


def test_line_numbers_are_physical_lines(tmp_path, untouched):
    """A quoted value spanning two lines shifts the following line numbers, as an editor shows."""
    header, rows = read_rows(SAMPLE)
    rows[0][header.index("Adresse_2")] = "Bâtiment A\nEntrée B"  # line 2, over lines 2-3
    rows[2][header.index("Code_departement")] = "2A"  # data row 3: physical line 5
    message, output = run_failing(write_rows(tmp_path / "multiline.csv", header, rows))

    assert "  ligne 2 (0240001W) : caractère de contrôle dans la colonne 6" in output
    assert "  ligne 5 (6200006M) : code département « 2A » invalide" in output


def test_accept_partial_writes_the_valid_lines(tmp_path):
    path = damaged_copy(
        tmp_path,
        {3: {"Code_departement": "35"}, 10: {"Identifiant_de_l_etablissement": "0400003M"}},
    )

    output = run(path, "--accept-partial")

    assert summary(output)["Créés"] == 12
    assert summary(output)["Rejetés"] == 2
    assert "  ligne 3 (0240005A) : code département « 35 » invalide" in output
    assert "  ligne 10 (0400003M) : lettre de contrôle" in output
    assert "Import terminé." in output
    assert School.objects.count() == 12
    assert not School.objects.filter(uai__in=["0240005A", "0400003L", "0400003M"]).exists()
    assert AuditEvent.objects.get().after["rejected"] == 2


def test_accept_partial_skips_every_line_of_a_duplicate(tmp_path):
    header, rows = read_rows(SAMPLE)
    rows.append(list(rows[8]))
    report = import_annuaire(write_rows(tmp_path / "dup.csv", header, rows), accept_partial=True)
    assert (report.created, report.rejected_count) == (13, 2)
    assert not School.objects.filter(uai="0400003L").exists()


def test_damage_outside_the_requested_academy_does_not_block_it(tmp_path):
    path = damaged_copy(tmp_path, {7: {"date_maj_ligne": "27/05/2026"}})  # a collège of Rennes
    assert summary(run(path, "--academy", "04"))["Créés"] == 10

    # A damaged academy code could be Bordeaux's: the line is rejected, not dropped.
    path = damaged_copy(tmp_path, {7: {"Code_academie": "1,40E+01"}})
    message, _ = run_failing(path, "--academy", "4")
    assert message.startswith("1 ligne rejetée")


def test_many_rejections_are_capped_in_the_output(tmp_path, untouched):
    header, rows = read_rows(SAMPLE)
    template = rows[0]
    rows = []
    for n in range(120):
        row = list(template)
        row[0] = f"{1000000 + n:07d}Z"  # mostly wrong check letters
        row[header.index("Code_departement")] = "24"
        rows.append(row)
    message, output = run_failing(write_rows(tmp_path / "many.csv", header, rows))

    assert message.startswith("120 lignes rejetées")
    assert len([text for text in output.splitlines() if text.startswith("  ligne ")]) == 50
    assert "  … et 70 autres lignes rejetées." in output


@pytest.mark.own_database
def test_command_exits_with_status_1_and_no_traceback(tmp_path):
    header, rows = read_rows(SAMPLE)
    latin1 = write_rows(tmp_path / "latin1.csv", header, rows, encoding="latin-1")
    damaged = damaged_copy(tmp_path, {3: {"Code_departement": "35"}})
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'throwaway.sqlite3'}"}
    # Pass 1 reads the départements already known (a line may not move one to another académie).
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )

    for path, expected in [
        (latin1, "CommandError: Le fichier n'est pas encodé en UTF-8"),
        (damaged, "CommandError: 1 ligne rejetée : rien n'a été importé"),
        (tmp_path / "absent.csv", "CommandError: Le fichier"),
    ]:
        result = subprocess.run(
            [sys.executable, "manage.py", "import_annuaire", str(path)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().startswith(expected), result.stderr


# --- National scale ------------------------------------------------------------------------


@pytest.mark.slow
def test_full_national_file():
    """Every collège and lycée of France; the timing is measured by hand, not asserted here."""
    report = import_annuaire(NATIONAL)

    # One line of the source has no name (a collège of the Hérault): imported, with a warning.
    assert report.rejected == []
    assert report.warnings == [(3153, "0342580V", "nom absent du fichier : enregistré sous « Collège de Maraussan »")]
    assert (report.lines, report.created, report.skipped_count) == (11248, 11248, 0)
    assert School.objects.count() == 11248
    assert School.objects.get(uai="0342580V").name == "Collège de Maraussan"
    assert Department.objects.count() == 107
    assert Academy.objects.count() == 34

    again = import_annuaire(NATIONAL)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 11248)


class OneLineAtATime:
    """The CSV file as the import may read it: `readline` only (no bulk read), each line counted."""

    def __init__(self, handle):
        self.handle = handle
        self.lines_read = 0

    def readline(self, size=-1):
        self.lines_read += 1
        return self.handle.readline(size)

    def fileno(self):
        return self.handle.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()


def parsed_lines_alive() -> int:
    """How many parsed lines (`rows.Line`) the process holds right now."""
    gc.collect()
    # `type()`, not `isinstance()`: the collector also hands out weak proxies (other libraries'),
    # and `isinstance` on a proxy whose object is gone raises ReferenceError.
    return sum(type(item) is importers.rows.Line for item in gc.get_objects())


@pytest.mark.slow
def test_the_import_streams(tmp_path, monkeypatch):
    """The file is read one line at a time, in step with the validation, and never held: pass 1
    holds one spool batch of parsed lines at most, and pass 2 writes from the spool, a batch at a
    time, without opening the CSV again (nor parsing a line)."""
    spool_batch, batch = importers.spool.SPOOL_BATCH, importers.writing.BATCH_SIZE
    count = 3 * spool_batch + 200
    path = tmp_path / "national-first-lines.csv"
    path.write_bytes(b"\r\n".join(NATIONAL.read_bytes().split(b"\r\n")[: count + 1]) + b"\r\n")

    opened: list[OneLineAtATime] = []
    open_file, parse_row, write_batch = (
        importers.reading.open_file,
        importers.rows.parse_row,
        importers.writing.write_batch,
    )
    reads_behind: list[int] = []  # lines read from the file past the one being validated
    alive_in_pass_1: list[int] = []
    alive_in_pass_2: list[int] = []
    parsed_in_pass_2: list[int] = []

    def counted_open(path):
        opened.append(OneLineAtATime(open_file(path)))
        return opened[-1]

    def watched_parse(row, idx, type_key):
        parsed = parse_row(row, idx, type_key)
        # The k-th data line is the file's line k + 1 (the header is line 1).
        reads_behind.append(opened[-1].lines_read - (len(reads_behind) + 2))
        if alive_in_pass_2:
            parsed_in_pass_2.append(1)
        if len(reads_behind) % 500 == 0:
            alive_in_pass_1.append(parsed_lines_alive())
        return parsed

    def watched_write_batch(*args):
        alive_in_pass_2.append(parsed_lines_alive())
        return write_batch(*args)

    monkeypatch.setattr(importers.reading, "open_file", counted_open)
    monkeypatch.setattr(importers.rows, "parse_row", watched_parse)
    monkeypatch.setattr(importers.writing, "write_batch", watched_write_batch)
    report = import_annuaire(path)

    assert report.written and (report.lines, report.created) == (count, count)
    assert School.objects.count() == count
    # Pass 1: when line N is validated, the file has been read up to line N, not further.
    assert reads_behind == [0] * count
    # Pass 1 holds the spool's batch of parsed lines (and the one being read), never the file's.
    assert len(alive_in_pass_1) == count // 500
    assert max(alive_in_pass_1) <= spool_batch + 1, alive_in_pass_1
    # Pass 2: the CSV is not opened again, nor any line parsed; the spool is read a batch at a
    # time (the batch being written, and the spool batch being read).
    assert len(opened) == 1 and opened[0].lines_read == count + 2  # the header, the lines, the end
    assert parsed_in_pass_2 == []
    assert len(alive_in_pass_2) == -(-count // batch)
    assert max(alive_in_pass_2) <= batch + spool_batch, alive_in_pass_2
