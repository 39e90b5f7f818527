"""The file checks (evidence.files): accepted by content AND extension, everything else refused
with a French sentence."""

import zipfile

import pytest

from pilotis.evidence import files
from tests.evidence.conftest import JPEG, PDF, PNG, odf, ooxml, upload, zipped


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("rapport.pdf", PDF, "pdf"),
        ("photo.PNG", PNG, "png"),
        ("photo.jpg", JPEG, "jpeg"),
        ("photo.jpeg", JPEG, "jpeg"),
        ("compte-rendu.odt", odf("text"), "odt"),
        ("budget.ods", odf("spreadsheet"), "ods"),
        ("diaporama.odp", odf("presentation"), "odp"),
        ("compte-rendu.docx", ooxml("word/"), "docx"),
        ("budget.xlsx", ooxml("xl/"), "xlsx"),
        ("diaporama.pptx", ooxml("ppt/"), "pptx"),
    ],
)
def test_accepted_types(settings, name, content, code):
    checked = files.check_upload(upload(name, content))
    assert checked.file_type.code == code
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def refusal(name, content, **kwargs):
    with pytest.raises(files.Refused) as caught:
        files.check_upload(upload(name, content), **kwargs)
    return caught.value


def test_an_executable_renamed_pdf_is_refused_as_a_program():
    error = refusal("programme.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert error.messages == [
        "Ce type de fichier n'est pas accepté : « programme.pdf » est un programme Windows, pas un document."
    ]
    assert error.dangerous and error.reason == "program"


def test_an_elf_binary_and_a_script_are_refused():
    assert refusal("a.png", b"\x7fELF\x02\x01" + b"\x00" * 50).reason == "program"
    assert refusal("a.pdf", b"#!/bin/sh\nrm -rf /\n").reason == "program"


def test_html_named_png_is_refused_as_a_web_page():
    error = refusal("image.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    assert "page web" in error.messages[0] and error.dangerous


def test_svg_is_refused_whatever_its_name():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert refusal("dessin.svg", svg).reason == "web"
    assert refusal("dessin.png", svg).reason == "web"


def test_an_unknown_extension_is_refused_with_the_list():
    error = refusal("notes.txt", b"hello")
    assert error.messages[0].startswith("Ce type de fichier n'est pas accepté : « notes.txt ».")
    assert "PDF, ODT" in error.messages[0]


def test_content_and_extension_must_agree():
    error = refusal("photo.pdf", PNG)
    assert error.messages == [
        "Ce type de fichier n'est pas accepté : le contenu de « photo.pdf » n'est pas celui d'un fichier PDF "
        "(c'est un fichier PNG)."
    ]
    assert refusal("texte.ods", odf("text")).reason == "mismatch"
    assert refusal("texte.xlsx", ooxml("word/")).reason == "mismatch"
    assert refusal("archive.docx", zipped([("a.txt", "x")])).reason == "mismatch"


def test_empty_file():
    assert refusal("vide.pdf", b"").messages == ["Le fichier est vide."]


def test_oversized_file_is_refused_from_its_size(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    error = refusal("gros.pdf", PDF + b"0" * (1024 * 1024))
    assert error.messages[0].startswith("Le fichier dépasse 1 Mo")
    assert error.reason == "too_big"


def test_a_zip_bomb_dressed_as_docx_is_refused():
    bomb = zipped([("[Content_Types].xml", "<Types/>"), ("word/document.xml", b"\x00" * (20 * 1024 * 1024))])
    assert len(bomb) < 100_000
    error = refusal("rapport.docx", bomb)
    assert error.reason == "zip_bomb" and error.dangerous
    assert error.messages == ["Ce fichier n'est pas accepté : son contenu compressé est anormal (archive piégée)."]


def test_a_zip_with_too_many_entries_is_refused(settings):
    settings.EVIDENCE_ZIP_MAX_ENTRIES = 50
    many = zipped([("[Content_Types].xml", "<Types/>")] + [(f"word/p{i}.xml", "x") for i in range(60)])
    assert refusal("rapport.docx", many).reason == "zip_bomb"


def test_a_zip_whose_entries_leave_the_archive_is_refused():
    evil = zipped([("[Content_Types].xml", "<Types/>"), ("word/../../etc/passwd", "x")])
    assert refusal("rapport.docx", evil).reason == "zip_path"
    assert refusal("rapport.docx", zipped([("/etc/cron.d/x", "x")])).reason == "zip_path"


def test_a_broken_zip_is_no_document():
    assert refusal("rapport.docx", b"PK\x03\x04" + b"\x00" * 100).reason == "mismatch"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\rapport.pdf", "rapport.pdf"),
        ("rap\x00port\x1b.pdf", "rapport.pdf"),
        ("fac\u202etxt.pdf", "factxt.pdf"),
        ("  ..cachée.pdf ", "cachée.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
        ("Compte   rendu\tCA.pdf", "Compte rendu CA.pdf"),
    ],
)
def test_names_are_cleaned(raw, clean):
    assert files.clean_name(raw) == clean


def test_a_cleaned_name_keeps_being_checked():
    checked = files.check_upload(upload("../../x\x07.pdf", PDF))
    assert checked.name == "x.pdf"


def test_zip_stored_entries_count_for_real_not_by_their_headers():
    """A header may lie about sizes: what is decompressed is counted."""
    data = zipped(
        [("[Content_Types].xml", "<Types/>"), ("word/document.xml", b"A" * (12 * 1024 * 1024))],
        compression=zipfile.ZIP_DEFLATED,
    )
    assert refusal("x.docx", data).reason == "zip_bomb"


def test_sizes_in_words():
    assert files.megabytes(10 * 1024 * 1024) == "10 Mo"
    assert files.megabytes(int(2.5 * 1024 * 1024)) == "2,5 Mo"
    assert files.human_size(512) == "512 o"
    assert files.human_size(7241) == "7 Ko"
