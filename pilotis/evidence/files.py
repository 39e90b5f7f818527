"""What a file must be to be kept as evidence, in one place.

A file is accepted when its content (magic bytes, and for office documents the zip's own
structure) AND its extension name the same type among PDF, PNG, JPEG, ODF (odt, ods, odp) and
OOXML (docx, xlsx, pptx). Anything else is refused with a French sentence, and nothing is stored:
an executable or a web page (HTML, SVG) whatever its name, an empty or oversized file, a zip bomb
dressed as a document. The name shown is the person's, cleaned (no path, no control character,
capped); the stored name is generated elsewhere (`services`).
"""

import hashlib
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pilotis.core.validators import FORBIDDEN_CATEGORIES

NAME_MAX_LENGTH = 150
HEAD_BYTES = 8192
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


TYPES = {
    t.code: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", ("pdf",)),
        FileType("png", "PNG", "image/png", ("png",)),
        FileType("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg")),
        FileType("odt", "ODT", "application/vnd.oasis.opendocument.text", ("odt",)),
        FileType("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
        FileType("odp", "ODP", "application/vnd.oasis.opendocument.presentation", ("odp",)),
        FileType("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
        FileType("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
        FileType(
            "pptx", "PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
        ),
    )
}
BY_EXTENSION = {extension: t for t in TYPES.values() for extension in t.extensions}
ODF_MIMETYPES = {TYPES[code].content_type.encode(): code for code in ("odt", "ods", "odp")}
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}

# Content that is never evidence, whatever its name says: programs and what a browser would run.
DANGEROUS = [
    (b"MZ", "un programme Windows"),
    (b"\x7fELF", "un programme"),
    (b"\xca\xfe\xba\xbe", "un programme"),
    (b"\xcf\xfa\xed\xfe", "un programme"),
    (b"#!", "un script"),
]
WEB_MARKERS = re.compile(rb"<\s*(!doctype\s+html|html|svg|script|iframe|body|head)\b", re.IGNORECASE)


class Refused(ValidationError):
    """A file refused: `message` is the sentence the person reads; `dangerous` when the content is
    a program or a web page (worth a trace in the journal)."""

    def __init__(self, message, *, reason: str, dangerous: bool = False):
        super().__init__(message, code=reason)
        self.reason = reason
        self.dangerous = dangerous


@dataclass(frozen=True)
class Checked:
    name: str
    file_type: FileType
    size: int
    sha256: str


def megabytes(size: int) -> str:
    """« 10 Mo », « 2,5 Mo », « 300 Ko »: sizes as the person reads them."""
    if size == 0:
        return "0 Mo"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    value = size / (1024 * 1024)
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"
    return f"{text.replace('.', ',')} Mo"


def human_size(size: int) -> str:
    return f"{size} o" if size < 1024 else megabytes(size)


def clean_name(raw: str) -> str:
    """The name shown and given back on download: the last part of any path (`../../x.pdf` gives
    `x.pdf`), without control or format characters nor `<>:"|?*`, without leading dots, capped
    (the extension kept). Empty when nothing is left."""
    name = re.split(r"[/\\]", str(raw or ""))[-1]
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\t\r\n\v\f]", " ", name)
    # Characters no file system takes in a name, and which quote or mark up elsewhere.
    name = re.sub(r'[<>:"|?*]', "", name)
    name = "".join(c for c in name if unicodedata.category(c) not in FORBIDDEN_CATEGORIES)
    name = " ".join(name.split()).lstrip(". ").strip()
    if len(name) > NAME_MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 8:
            name = stem[: NAME_MAX_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:NAME_MAX_LENGTH]
    return name


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def accepted_labels() -> str:
    return "PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG, JPEG"


def check_upload(uploaded, *, max_bytes: int | None = None) -> Checked:
    """Checks a file received (a Django `UploadedFile`): its size first, from what the upload
    says (nothing is read past the limit), then its name, then its content. Raises `Refused`."""
    max_bytes = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    size = uploaded.size or 0
    if size == 0:
        raise Refused(_("Le fichier est vide."), reason="empty")
    if size > max_bytes:
        raise Refused(
            _("Le fichier dépasse %(max)s (il fait %(size)s).")
            % {"max": megabytes(max_bytes), "size": megabytes(size)},
            reason="too_big",
        )
    name = clean_name(uploaded.name)
    extension = extension_of(name)
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    _refuse_dangerous(head, name)
    declared = BY_EXTENSION.get(extension)
    if declared is None:
        raise Refused(
            _("Ce type de fichier n'est pas accepté : « %(name)s ». Types acceptés : %(types)s.")
            % {"name": name or "?", "types": accepted_labels()},
            reason="extension",
        )
    found = _detect(uploaded, head)
    if found is None or found.code != declared.code:
        what = (
            _("c'est un fichier %(label)s") % {"label": found.label}
            if found
            else _("son contenu n'est d'aucun type accepté")
        )
        raise Refused(
            _(
                "Ce type de fichier n'est pas accepté : le contenu de « %(name)s » n'est pas celui d'un fichier "
                "%(label)s (%(what)s)."
            )
            % {"name": name, "label": declared.label, "what": what},
            reason="mismatch",
        )
    return Checked(name=name, file_type=declared, size=size, sha256=_sha256(uploaded))


def _refuse_dangerous(head: bytes, name: str) -> None:
    for magic, what in DANGEROUS:
        if head.startswith(magic):
            raise Refused(
                _("Ce type de fichier n'est pas accepté : « %(name)s » est %(what)s, pas un document.")
                % {"name": name or "?", "what": what},
                reason="program",
                dangerous=True,
            )
    # A PDF or an image may hold those words deep inside; a web page starts with them.
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith((b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04")) and (
        stripped.startswith(b"<") and WEB_MARKERS.search(head[:1024])
    ):
        raise Refused(
            _("Ce type de fichier n'est pas accepté : « %(name)s » est une page web ou une image SVG, pas un document.")
            % {"name": name or "?"},
            reason="web",
            dangerous=True,
        )


def _detect(uploaded, head: bytes) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return TYPES["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head.startswith(b"PK\x03\x04"):
        return _office_document(uploaded)
    return None


def _office_document(uploaded) -> FileType | None:
    """An ODF or OOXML document, after the zip has been checked entry by entry: no path leaving
    the archive, not too many entries, and what it holds decompressed for real (a header may lie)
    under a cap on its total size and on its ratio to the file's size."""
    uploaded.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    bomb = Refused(
        _("Ce fichier n'est pas accepté : son contenu compressé est anormal (archive piégée)."),
        reason="zip_bomb",
        dangerous=True,
    )
    if len(entries) > settings.EVIDENCE_ZIP_MAX_ENTRIES:
        raise bomb
    for entry in entries:
        parts = entry.filename.replace("\\", "/").split("/")
        if entry.filename.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise Refused(
                _("Ce fichier n'est pas accepté : il contient des chemins qui sortent du document."),
                reason="zip_path",
                dangerous=True,
            )
    cap = min(settings.EVIDENCE_ZIP_MAX_UNCOMPRESSED_BYTES, settings.EVIDENCE_ZIP_MAX_RATIO * max(uploaded.size, 1))
    total = 0
    try:
        for entry in entries:
            if entry.is_dir():
                continue
            with archive.open(entry) as member:
                while chunk := member.read(CHUNK):
                    total += len(chunk)
                    if total > cap:
                        raise bomb
        names = [entry.filename for entry in entries]
        if names and names[0] == "mimetype":
            mimetype = archive.read("mimetype")[:200].strip()
            code = ODF_MIMETYPES.get(mimetype)
            return TYPES[code] if code else None
        if "[Content_Types].xml" in names:
            for folder, code in OOXML_FOLDERS.items():
                if any(name.startswith(folder) for name in names):
                    return TYPES[code]
    except Refused:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None
    return None


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks(CHUNK):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()
