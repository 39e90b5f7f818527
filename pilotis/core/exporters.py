"""The base of every export: a report declares its columns as data and yields its rows; this
module renders them, once for all reports, as CSV and ODS (PDF reports are HTML templates
printed by WeasyPrint, in their own app).

Formula injection (SECURITY.md, « Export cells are neutralised »): a text cell starting with
`=`, `+`, `-`, `@`, tab, CR or NUL is prefixed with `'`, so that no spreadsheet runs it; NUL is
removed. A text starting with `'` itself gets one more, so that dropping one leading `'` always
gives the text back. Numbers and dates are typed values, never text, so they need no prefix. In
ODS every cell is written as a value, never as a formula.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

import odfdo
from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
ESCAPED = (*FORMULA_TRIGGERS, "'")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "vcf": "text/vcard; charset=utf-8",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: str = ""  # ODS column width, e.g. "8cm"; empty for the spreadsheet's default


def choice_labels(model, field: str) -> dict:
    """A choice field's labels by value, translated once: an exporter reads them per row instead
    of `get_<field>_display()`, which hashes every lazy label of the choices (a gettext each) at
    every call — three quarters of a row's time in the heat map (benchmarks/README.md)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def neutralise(text: str) -> str:
    """`=1+1` → `'=1+1`: a spreadsheet shows the text instead of running it. NUL is dropped."""
    if text.startswith(ESCAPED):
        text = "'" + text
    return text.replace("\0", "")


class Exporter:
    """Subclasses set `title` and `columns`, and yield one dict per row (keys: the columns' keys).

    Cell values are `str`, `int`, `float`, `Decimal`, `datetime.date`/`datetime` (naive, local
    time), `bool` or `None`.
    """

    title: str = ""
    columns: Sequence[Column] = ()
    # Told the rows written so far, every `progress_every` rows and once at the end: the
    # background export's progress (`core.background_exports`). None for an immediate export.
    progress = None
    progress_every = 1000

    def rows(self) -> Iterable[dict]:
        raise NotImplementedError

    def row_count(self) -> int | None:
        """How many rows `rows()` will give, counted cheaply (a counter, a COUNT), or None for
        a report that is always small: a large one is prepared in the background."""
        return None

    def _table(self):
        keys = [c.key for c in self.columns]
        written = 0
        for written, row in enumerate(self.rows(), start=1):
            yield [row.get(key) for key in keys]
            if self.progress is not None and written % self.progress_every == 0:
                self.progress(written)
        if self.progress is not None:
            self.progress(written)

    # --- CSV: for French spreadsheet software, `;` separated, UTF-8 with a BOM, CRLF ----------

    def as_csv(self) -> bytes:
        return b"".join(self.iter_csv())

    def iter_csv(self, rows_per_chunk: int = 500):
        """The same CSV as `as_csv`, in pieces of bytes (the BOM first): for a streamed response,
        whose memory does not grow with the rows."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([neutralise(str(c.label)) for c in self.columns])
        yield buffer.getvalue().encode("utf-8-sig")
        buffer.seek(0)
        buffer.truncate()
        for index, values in enumerate(self._table(), start=1):
            writer.writerow([_csv_cell(v) for v in values])
            if index % rows_per_chunk == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue().encode("utf-8")

    # --- ODS: one sheet named after the title, a bold header row, typed cells -----------------

    def as_ods(self) -> bytes:
        out = io.BytesIO()
        self.write_ods(out)
        return out.getvalue()

    def write_ods(self, out) -> None:
        """The ODS file written into `out` (a binary file object, seekable or not) as the rows
        come: a file on disk holds a background export, whose memory stays flat."""
        document = odfdo.Document("spreadsheet")
        document.body.clear()
        document.insert_style(odfdo.Style("table-cell", name="pilotis-header", area="text", bold=True), automatic=True)
        head = [f'<table:table table:name="{escape(sheet_name(str(self.title)), QUOTES)}">']
        for index, column in enumerate(self.columns):
            if column.width:
                style = f"pilotis-col{index}"
                document.insert_style(odfdo.Style("table-column", name=style, width=column.width), automatic=True)
                head.append(f'<table:table-column table:style-name="{style}"/>')
            else:
                head.append("<table:table-column/>")
        head.append("<table:table-row>")
        head.extend(_ods_cell(str(column.label), style="pilotis-header") for column in self.columns)
        head.append("</table:table-row>")

        def table():
            yield "".join(head)
            for values in self._table():
                yield "<table:table-row>" + "".join(_ods_cell(value) for value in values) + "</table:table-row>"
            yield "</table:table>"

        # odfdo makes the document (styles, manifest, meta); the table is written as XML, row by
        # row, in place of a placeholder in content.xml, and compressed as it is written: odfdo's
        # cell objects (or a parsed tree, with lxml's namespace fixing) cost too much time per
        # cell, and a table held whole as one string costs memory in proportion to its rows
        # (benchmarks/README.md has the figures).
        document.body.append(odfdo.Element.from_tag(f'<table:table table:name="{PLACEHOLDER}"/>'))
        base = io.BytesIO()
        document.save(base)
        _with_table(base.getvalue(), table(), out)


PLACEHOLDER = "pilotis-table-placeholder"
_PLACEHOLDER_RE = re.compile(rf'<table:table table:name="{PLACEHOLDER}"\s*(?:/>|>.*?</table:table>)', re.DOTALL)


def _with_table(ods: bytes, table_xml: Iterable[str], out) -> None:
    """Writes into `out` the ODS file `ods` with its placeholder table replaced by the pieces of
    `table_xml`, compressed as they come; the `mimetype` entry stays first and uncompressed, as
    the format requires."""
    source = zipfile.ZipFile(io.BytesIO(ods))
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "content.xml":
                compression = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
                target.writestr(info.filename, data, compress_type=compression)
                continue
            content = data.decode("utf-8")
            match = _PLACEHOLDER_RE.search(content)
            if match is None:
                raise RuntimeError("The ODS placeholder table was not found in content.xml")
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with target.open(entry, "w") as stream:
                stream.write(content[: match.start()].encode("utf-8"))
                for piece in table_xml:
                    stream.write(piece.encode("utf-8"))
                stream.write(content[match.end() :].encode("utf-8"))


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")  # the French decimal separator
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return neutralise(str(value))


QUOTES = {'"': "&quot;"}
# Characters XML 1.0 does not allow (NUL is removed by `neutralise` already).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _ods_cell(value, style: str | None = None) -> str:
    """One <table:table-cell>: typed values for numbers, dates and booleans; text is always a
    string value, never `table:formula`, with its line breaks, tabs and spaces kept."""
    styled = f' table:style-name="{style}"' if style else ""
    if value is None:
        return f"<table:table-cell{styled}/>"
    if isinstance(value, bool):
        kind, shown = (
            f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"',
            "Oui" if value else "Non",
        )
    elif isinstance(value, int | float | Decimal):
        kind, shown = f'office:value-type="float" office:value="{value}"', str(value)
    elif isinstance(value, datetime.datetime):
        kind = (
            f'office:value-type="date" office:date-value="{value.replace(tzinfo=None).isoformat(timespec="seconds")}"'
        )
        shown = value.strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, datetime.date):
        kind, shown = f'office:value-type="date" office:date-value="{value.isoformat()}"', value.strftime("%d/%m/%Y")
    else:
        kind, shown = 'office:value-type="string"', neutralise(str(value))
    return f"<table:table-cell {kind}{styled}><text:p>{_ods_text(shown)}</text:p></table:table-cell>"


def _ods_text(text: str) -> str:
    """Escaped paragraph content, with ODF's markup for line breaks, tabs and runs of spaces."""
    # XML reads a CR as a line end anyway: say so with ODF's line break.
    text = XML_INVALID.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for index, line in enumerate(text.split("\n")):
        if index:
            out.append("<text:line-break/>")
        for piece_index, piece in enumerate(line.split("\t")):
            if piece_index:
                out.append("<text:tab/>")
            out.append(
                re.sub(
                    r"(?:^ +| {2,})",
                    lambda m: (
                        (" " if m.start() else "") + f'<text:s text:c="{len(m.group()) - (1 if m.start() else 0)}"/>'
                    ),
                    escape(piece),
                )
            )
    return "".join(out)


def sheet_name(title: str) -> str:
    """A sheet name every spreadsheet accepts: none of `[]*?:/\\'`, at most 31 characters."""
    name = " ".join(re.sub(r"[\[\]*?:/\\']", " ", title).split())
    return name[:31].strip() or "Export"


def safe_filename(*parts: str, extension: str) -> str:
    """ASCII letters, digits, `-` and `.` only: `("SCHÉMATIC", "0400001A")` → `SCHEMATIC-0400001A`."""
    words = []
    for part in parts:
        plain = unicodedata.normalize("NFKD", str(part)).encode("ascii", "ignore").decode()
        plain = re.sub(r"[^A-Za-z0-9.]+", "-", plain).strip("-.")
        if plain:
            words.append(plain)
    return "-".join(words or ["export"]) + "." + extension


def attachment_response(content: bytes, filename: str) -> HttpResponse:
    """A download: the content type from the file's extension, never shown inline."""
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
