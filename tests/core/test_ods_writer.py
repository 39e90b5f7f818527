"""The ODS writer of `core.exporters`: any text and every typed value come back as written, the
file is a valid ODF package, and the memory it takes does not grow with the rows."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from odfdo import Document

from pilotis.core.exporters import XML_INVALID, Column, Exporter, neutralise


class Rows(Exporter):
    title = "Feuille"

    def __init__(self, rows, columns=("a",)):
        self._rows = rows
        self.columns = [Column(key, key.upper()) for key in columns]

    def rows(self):
        return iter(self._rows)


def read(exporter):
    return Document(io.BytesIO(exporter.as_ods())).body.get_table(0).get_values()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_any_text_comes_back(text):
    values = read(Rows([{"a": text}]))
    # Characters XML cannot hold are dropped; a carriage return becomes a line break.
    expected = XML_INVALID.sub("", neutralise(text)).replace("\r\n", "\n").replace("\r", "\n")
    assert values[1][0] == expected


def test_line_breaks_tabs_and_runs_of_spaces_are_kept():
    text = "  deux espaces devant\n\tune tabulation,   trois espaces & <balise>"
    assert read(Rows([{"a": text}]))[1][0] == text


def test_typed_values():
    row = {
        "int": 42,
        "float": 14.3,
        "decimal": Decimal("2.50"),
        "date": datetime.date(2026, 11, 30),
        "datetime": datetime.datetime(2026, 11, 30, 8, 5),
        "bool": True,
        "none": None,
    }
    values = read(Rows([row], columns=list(row)))
    assert values[0] == [key.upper() for key in row]
    got = dict(zip(row, values[1], strict=True))
    assert got["int"] == 42 and float(got["float"]) == 14.3 and got["decimal"] == Decimal("2.50")
    assert got["date"] == datetime.datetime(2026, 11, 30) or got["date"] == datetime.date(2026, 11, 30)
    assert got["datetime"] == datetime.datetime(2026, 11, 30, 8, 5)
    assert got["bool"] is True and got["none"] is None


@pytest.mark.slow  # 20,000 rows written and read back
def test_the_package_is_valid_and_a_big_table_is_written_quickly():
    rows = [{"a": f"Établissement {n}", "b": n} for n in range(20_000)]
    content = Rows(rows, columns=("a", "b")).as_ods()
    package = zipfile.ZipFile(io.BytesIO(content))
    first = package.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert package.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    values = Document(io.BytesIO(content)).body.get_table(0).get_values()
    assert len(values) == 20_001 and values[-1] == ["Établissement 19999", 19999]


@pytest.mark.slow  # memory traced over 11,000 rows
def test_the_table_is_compressed_as_it_is_written_not_held_whole():
    """Memory, not time: the rows go through the zip entry one by one, so ten times the rows do
    not take ten times the memory, as they would if the table were held as one string."""
    import tracemalloc

    def peak(n):
        exporter = Rows([{"a": f"Collège numéro {i}", "b": i, "c": datetime.date(2026, 1, 1)} for i in range(n)], "abc")
        tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        exporter.as_ods()
        result = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        return result

    small, large = peak(1_000), peak(10_000)
    assert large < 2 * small, (small, large)
