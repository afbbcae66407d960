"""The .xlsx writer: what it writes reads back through openpyxl with values, formats and views."""

import io
import zipfile
from xml.etree import ElementTree

import numpy as np
import pytest
from openpyxl import load_workbook

from openstp.report.xlsx import Sheet, Style, column_letter, xlsx_bytes

MONEY = '£#,##0;[Red](£#,##0);"–"'


def sample_sheets():
    table = Sheet("Table & co's", widths={1: 12, 2: 30.5}, freeze="B2", filter="A1:C3")
    header = [Style(bold=True, colour="FFFFFF", fill="005EB8", wrap=True)] * 3
    table.append(["name", "money", "share"], header)
    body = [Style(), Style(number_format=MONEY), Style(number_format="0.0%")]
    table.append(["=1+1 <b>&amp;</b>", 1234.5, np.float64(0.25)], body)
    table.append([" spaced\x01 ", np.int64(-7), float("nan")], body)
    table.append(["Total", 1227.5, None], [Style(bold=True)] * 3)
    about = Sheet("About")
    about.append(["Title"], [Style(bold=True, size=14)])
    about.append([])
    about.append([True, 3, "2020/21"])
    return [about, table]


@pytest.fixture(scope="module")
def book():
    return load_workbook(io.BytesIO(xlsx_bytes(sample_sheets())))


def test_every_part_is_well_formed_xml():
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(sample_sheets()))) as zf:
        assert "[Content_Types].xml" in zf.namelist()
        for name in zf.namelist():
            ElementTree.fromstring(zf.read(name))


def test_values_read_back_as_written(book):
    assert book.sheetnames == ["About", "Table & co's"]
    rows = list(book["Table & co's"].iter_rows(values_only=True))
    assert rows[0] == ("name", "money", "share")
    assert rows[1] == ("=1+1 <b>&amp;</b>", 1234.5, 0.25)  # text that looks like a formula
    assert rows[2] == (" spaced ", -7, None)  # illegal XML characters dropped, NaN empty
    assert rows[3] == ("Total", 1227.5, None)
    assert list(book["About"].iter_rows(values_only=True)) == [
        ("Title", None, None), (None, None, None), (True, 3, "2020/21")]


def test_formats_fonts_fills_and_views_survive(book):
    ws = book["Table & co's"]
    assert ws["B2"].number_format == MONEY and ws["C2"].number_format == "0.0%"
    assert ws["A2"].number_format == "General"
    head = ws["A1"]
    assert head.font.b and head.font.color.rgb == "FFFFFFFF" and head.alignment.wrap_text
    assert head.fill.fill_type == "solid" and head.fill.fgColor.rgb == "FF005EB8"
    assert ws["A4"].font.b and not ws["A2"].font.b
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:C3"
    assert ws.column_dimensions["A"].width == 12 and ws.column_dimensions["B"].width == 30.5
    assert book["About"]["A1"].font.sz == 14 and book["About"].freeze_panes is None


def test_same_sheets_give_the_same_bytes():
    assert xlsx_bytes(sample_sheets()) == xlsx_bytes(sample_sheets())


def test_column_letters():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
