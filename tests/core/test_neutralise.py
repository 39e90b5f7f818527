"""The export neutralisation, against cells written out by hand: a text a spreadsheet would run
as a formula (it starts with = + - @, a tab or a carriage return) or one that starts with a quote
gets a leading quote; NUL is dropped; any other text is left as it is."""

import pytest

from pilotis.core.exporters import Column, Exporter, neutralise

CASES = [
    ("=1+1", "'=1+1"),
    ("+33 5 58 00 00 00", "'+33 5 58 00 00 00"),
    ("-2", "'-2"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("'déjà cité", "''déjà cité"),
    ("\0=1", "'=1"),
    ("a\0b\0", "ab"),
    ("Collège Alpha", "Collège Alpha"),
    ("1=1", "1=1"),
    ("a-b", "a-b"),
    (" =1", " =1"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "cell"), CASES)
def test_neutralise(text, cell):
    assert neutralise(text) == cell


class Sheet(Exporter):
    title = "Feuille"
    columns = [Column("a", "=Titre"), Column("b", "Nombre")]

    def __init__(self, rows):
        self._rows = rows

    def rows(self):
        return self._rows


def test_the_csv_neutralises_its_labels_and_text_cells_not_its_numbers():
    content = Sheet([{"a": "=1+1", "b": -2}, {"a": "a\0b", "b": None}]).as_csv().decode("utf-8-sig")
    assert content == "'=Titre;Nombre\r\n'=1+1;-2\r\nab;\r\n"
