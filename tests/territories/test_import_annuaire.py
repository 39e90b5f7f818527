"""The import of the "Annuaire de l'éducation" CSV export (RELIABILITY check 8).

Real files: the fixtures of tests/territories/data (rows copied from the open data), the national
file shipped in data/, and — when present — the full Ille-et-Vilaine 2023 export of the shared
data. Malformed files are derived from the fixtures in tmp_path; each must be refused with its
line numbers and leave the database exactly as it was.
"""

import csv
import datetime
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
from pilotis.territories.importers import AnnuaireFormatError, AnnuaireOptionError, ImportReport, import_annuaire
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


def test_service_function_and_report():
    report = import_annuaire(SAMPLE_2023, include_ecoles=True, progress=True)

    assert isinstance(report, ImportReport)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (13, 0, 0, [])
    assert report.skipped["Médico-social"] == 1
    assert report.skipped_count == 6
    assert report.written is True

    again = import_annuaire(SAMPLE_2023, include_ecoles=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 13)


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
    assert "ligne 5 (0330008E) : code académie « 1,40E+01 » invalide : 1 à 3 chiffres attendus" in output
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


def test_control_characters_are_not_echoed(tmp_path, untouched):
    path = damaged_copy(tmp_path, {2: {"Identifiant_de_l_etablissement": "0240001W\x1b[2J"}})
    report = import_annuaire(path)
    assert report.rejected == [(2, "0240001W?[2J", "caractère de contrôle dans la colonne 1")]


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


def test_command_exits_with_status_1_and_no_traceback(tmp_path):
    header, rows = read_rows(SAMPLE)
    latin1 = write_rows(tmp_path / "latin1.csv", header, rows, encoding="latin-1")
    damaged = damaged_copy(tmp_path, {3: {"Code_departement": "35"}})
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}

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
