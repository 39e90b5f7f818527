"""The base of every export: a report declares its columns as data and yields its rows; this
module renders them, once for all reports, as CSV and ODS (PDF reports are HTML templates
printed by WeasyPrint, in their own app).

Formula injection (check 20): a text cell starting with `=`, `+`, `-`, `@`, tab, CR or NUL is
prefixed with `'`, so that no spreadsheet runs it; NUL is removed. A text starting with `'`
itself gets one more, so that dropping one leading `'` always gives the text back. Numbers and
dates are typed values, never text, so they need no prefix. In ODS every cell is written as a
value, never as a formula.
"""

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import odfdo
from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
ESCAPED = (*FORMULA_TRIGGERS, "'")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: str = ""  # ODS column width, e.g. "8cm"; empty for the spreadsheet's default


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

    def rows(self) -> Iterable[dict]:
        raise NotImplementedError

    def _table(self):
        keys = [c.key for c in self.columns]
        for row in self.rows():
            yield [row.get(key) for key in keys]

    # --- CSV: for French spreadsheet software, `;` separated, UTF-8 with a BOM, CRLF ----------

    def as_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([neutralise(str(c.label)) for c in self.columns])
        for values in self._table():
            writer.writerow([_csv_cell(v) for v in values])
        return buffer.getvalue().encode("utf-8-sig")

    # --- ODS: one sheet named after the title, a bold header row, typed cells -----------------

    def as_ods(self) -> bytes:
        document = odfdo.Document("spreadsheet")
        document.body.clear()
        document.insert_style(odfdo.Style("table-cell", name="pilotis-header", area="text", bold=True), automatic=True)
        table = odfdo.Table(sheet_name(str(self.title)))
        for index, column in enumerate(self.columns):
            style = None
            if column.width:
                style = f"pilotis-col{index}"
                document.insert_style(odfdo.Style("table-column", name=style, width=column.width), automatic=True)
            table.append(odfdo.Column(style=style))
        header = odfdo.Row()
        for column in self.columns:
            header.append_cell(_ods_text(str(column.label), style="pilotis-header"))
        table.append_row(header)
        for values in self._table():
            row = odfdo.Row()
            for value in values:
                row.append_cell(_ods_cell(value))
            table.append_row(row)
        document.body.append(table)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


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


def _ods_cell(value) -> odfdo.Cell:
    if value is None:
        return odfdo.Cell()
    if isinstance(value, datetime.datetime):
        return odfdo.Cell(value, text=value.strftime("%d/%m/%Y %H:%M"))
    if isinstance(value, datetime.date):
        return odfdo.Cell(value, text=value.strftime("%d/%m/%Y"))
    if isinstance(value, bool | int | float | Decimal):
        return odfdo.Cell(value)
    return _ods_text(str(value))


def _ods_text(text: str, style: str | None = None) -> odfdo.Cell:
    """Always a string value, never `table:formula`; line breaks kept as line breaks."""
    text = neutralise(text)
    cell = odfdo.Cell(text, cell_type="string", style=style)
    for paragraph in cell.get_paragraphs():
        paragraph.delete()
    cell.append(odfdo.Paragraph(text, formatted=True))
    return cell


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
