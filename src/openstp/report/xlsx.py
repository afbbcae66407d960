"""A small, fast writer of .xlsx workbooks made of plain tables (Office Open XML, ECMA-376).

Without lxml, openpyxl serialises every cell through a pure-Python XML tree, which made the
results workbook a fifth of ``openstp report``. The workbook needs only values, number formats,
bold or filled headers, frozen panes, filters and column widths, so its XML is written here as
text. Strings are inline and never formulas (plan text starting with ``=`` stays text), and the
zip entries carry a fixed date, so the same results give the same bytes.
"""

from __future__ import annotations

import html
import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold; they are dropped from text."""
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10}
"""Number formats every spreadsheet knows by id; others are declared in the styles."""


@dataclass(frozen=True)
class Style:
    """How a cell looks: number format, bold, font size and colour, fill colour (RRGGBB), wrap."""

    number_format: str = "General"
    bold: bool = False
    size: int = 11
    colour: str | None = None
    fill: str | None = None
    wrap: bool = False


PLAIN = Style()


@dataclass
class Sheet:
    """A worksheet: rows of values, each row with one style per cell; widths; frozen panes."""

    title: str
    rows: list[tuple[Sequence[Any], Sequence[Style]]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    """Column width (characters) by column number, 1 for A."""
    freeze: str | None = None
    """The top-left cell that scrolls (``"B2"`` freezes the first row and column)."""
    filter: str | None = None
    """The range with filter buttons on its first row, e.g. ``"A1:F40"``."""

    def append(self, values: Sequence[Any], styles: Sequence[Style] | None = None) -> None:
        """Add a row; ``styles`` (one per value, shared between rows is fine) default to plain."""
        self.rows.append((values, styles or (PLAIN,) * len(values)))


def column_letter(n: int) -> str:
    """1 → 'A', 27 → 'AA'."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split(ref: str) -> tuple[int, int]:
    """'B2' → (column 2, row 2)."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref}")
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return column, int(match.group(2))


def _text(value: str) -> str:
    return html.escape(ILLEGAL.sub("", value), quote=False)


class _Styles:
    """The workbook's styles part: each distinct Style becomes one cell format (xf)."""

    def __init__(self) -> None:
        self.xfs: dict[Style, int] = {PLAIN: 0}
        self.formats: dict[str, int] = {}
        self.fonts: dict[tuple[bool, int, str | None], int] = {(False, 11, None): 0}
        self.fills: dict[str | None, int] = {None: 0}  # fill 1 is the gray125 Excel reserves

    def index(self, style: Style) -> int:
        if style not in self.xfs:
            self.xfs[style] = len(self.xfs)
            if style.number_format not in BUILTIN_FORMATS:
                self.formats.setdefault(style.number_format, 164 + len(self.formats))
            self.fonts.setdefault((style.bold, style.size, style.colour), len(self.fonts))
            self.fills.setdefault(style.fill, len(self.fills) + 1)
        return self.xfs[style]

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{html.escape(code)}"/>'
                          for code, i in self.formats.items())
        fonts = "".join(
            "<font>" + ("<b/>" if bold else "") + f'<sz val="{size}"/>'
            + (f'<color rgb="FF{colour}"/>' if colour else "")
            + '<name val="Calibri"/><family val="2"/></font>'
            for bold, size, colour in self.fonts)
        fills = ('<fill><patternFill patternType="none"/></fill>'
                 '<fill><patternFill patternType="gray125"/></fill>') + "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/>'
            '<bgColor indexed="64"/></patternFill></fill>' for colour in self.fills if colour)
        xfs = "".join(self._xf(s) for s in self.xfs)
        return (f'{XML}<styleSheet xmlns="{MAIN}">'
                + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if formats else "")
                + f'<fonts count="{len(self.fonts)}">{fonts}</fonts>'
                f'<fills count="{len(self.fills) + 1}">{fills}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
                '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
                f'borderId="0"/></cellStyleXfs><cellXfs count="{len(self.xfs)}">{xfs}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                '</cellStyles></styleSheet>')

    def _xf(self, s: Style) -> str:
        number = BUILTIN_FORMATS.get(s.number_format) or self.formats.get(s.number_format, 0)
        font, fill = self.fonts[(s.bold, s.size, s.colour)], self.fills[s.fill]
        applied = (' applyNumberFormat="1"' if number else "") + (
            ' applyFont="1"' if font else "") + (' applyFill="1"' if fill else "") + (
            ' applyAlignment="1"' if s.wrap else "")
        alignment = '<alignment vertical="top" wrapText="1"/>' if s.wrap else ""
        return (f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="0" '
                f'xfId="0"{applied}>{alignment}</xf>')


def _cell(ref: str, value: Any, xf: int) -> str:
    s = f' s="{xf}"' if xf else ""
    if isinstance(value, str):
        return _inline(ref, s, value)
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float) and math.isfinite(value):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if value is None or isinstance(value, float):  # missing: NaN and infinity are left empty
        return f'<c r="{ref}"{s}/>' if xf else ""
    return _inline(ref, s, str(value))


def _inline(ref: str, s: str, value: str) -> str:
    return (f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is>'
            "</c>")


def _sheet_xml(sheet: Sheet, styles: _Styles, selected: bool) -> str:
    width = max((len(values) for values, _ in sheet.rows), default=1)
    letters = [column_letter(i) for i in range(1, width + 1)]
    xf_rows: dict[int, list[int]] = {}  # rows usually share one styles sequence
    parts = []
    for r, (values, row_styles) in enumerate(sheet.rows, start=1):
        xfs = xf_rows.get(id(row_styles))
        if xfs is None:
            xfs = xf_rows[id(row_styles)] = [styles.index(s) for s in row_styles]
        n = str(r)
        parts.append(f'<row r="{n}">' + "".join(
            _cell(letter + n, v, x) for letter, v, x in zip(letters, values, xfs, strict=False))
            + "</row>")
    view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "") + ">"
    if sheet.freeze:
        column, row = _split(sheet.freeze)
        pane = ("bottomRight" if column > 1 and row > 1 else "bottomLeft" if row > 1
                else "topRight")
        view += ((f'<pane xSplit="{column - 1}"' if column > 1 else "<pane")
                 + (f' ySplit="{row - 1}"' if row > 1 else "")
                 + f' topLeftCell="{sheet.freeze}" activePane="{pane}" state="frozen"/>'
                 f'<selection pane="{pane}" activeCell="{sheet.freeze}" sqref="{sheet.freeze}"/>')
    view += "</sheetView>"
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                   for i, w in sorted(sheet.widths.items()))
    last = f"{letters[-1]}{max(len(sheet.rows), 1)}"
    return (f'{XML}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><dimension ref="A1:{last}"/>'
            f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData>{"".join(parts)}</sheetData>'
            + (f'<autoFilter ref="{sheet.filter}"/>' if sheet.filter else "") + "</worksheet>")


def _absolute(ref: str) -> str:
    return ":".join("$" + re.sub(r"(\d+)", r"$\1", cell) for cell in ref.split(":"))


def _quoted(title: str) -> str:
    """A sheet's name as a formula reads it: in quotes, its own quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def _workbook_xml(sheets: Sequence[Sheet]) -> str:
    entries = "".join(f'<sheet name="{html.escape(s.title)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{html.escape(_quoted(s.title), quote=False)}!"
        f"{_absolute(s.filter)}</definedName>" for i, s in enumerate(sheets) if s.filter)
    return (f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><workbookPr/>'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>'
            + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>")


def _parts(sheets: Sequence[Sheet]) -> dict[str, str]:
    styles = _Styles()
    worksheets = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(s, styles, i == 1)
                  for i, s in enumerate(sheets, start=1)}
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(f'<Override PartName="/{p}" ContentType="{kind}.worksheet+xml"/>'
                        for p in worksheets)
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1))
    return {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>'
            f"{overrides}</Types>"),
        "_rels/.rels": (f'{XML}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
                        f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
                        "</Relationships>"),
        "xl/workbook.xml": _workbook_xml(sheets),
        "xl/_rels/workbook.xml.rels": (
            f'{XML}<Relationships xmlns="{PACKAGE_RELS}">{sheet_rels}'
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{RELS}/styles" '
            'Target="styles.xml"/></Relationships>'),
        **worksheets,
        "xl/styles.xml": styles.xml(),  # after the sheets, which register their styles
    }


def write_xlsx(target: str | Path | IO[bytes], sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` as an .xlsx workbook to a path or a binary file."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, text in _parts(sheets).items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), text.encode("utf-8"),
                        zipfile.ZIP_DEFLATED)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """``sheets`` as the bytes of an .xlsx workbook."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()
