"""The workbook as a model: an *Inputs* sheet of named cells and a *Gap* sheet of live formulas.

The Gap sheet recomputes England's do-nothing gap per sector and year from the named inputs
(growth, inflation, funding) and the base data (England's cost-weighted demographic index per
sector and year, on *Gap data*), with the equations of ``openstp.gap.components``:

    deflator(t) = deflator(t − 1) × (1 + gdp_deflator_t)
    funding     = NHS budget_t × sector share | public health grant_t |
                  social care spend_base + new money_t − new money_base   (× 1e9: inputs are £bn)
                  (with funding_flat_real = 1: funding in the base year × deflator(t))
    base spend  = funding in the base year
    opening     = (providers' underlying deficit − commissioners' surplus) × 1e9 in the acute
                  sector (the base year's gap), 0 elsewhere
    cost        = (base spend + opening) × demographic index × (1 + growth)^t × deflator(t)
    gap         = cost − funding

At the defaults its England figures equal ``openstp gap``'s; change an input and the gap moves.
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from openstp.gap.components import OPENING_PATHS, OPENING_SECTOR, GapComponents, funding_rule
from openstp.params import Parameters
from openstp.report.fmt import words

MONEY_M = '£#,##0.0,,"m";[Red](£#,##0.0,,"m");"–"'
"""£ cash shown in £ million to one decimal, negatives red in brackets (full £ underneath)."""
MONEY_BN = '£#,##0.000;[Red](£#,##0.000);"–"'
PERCENT = "0.0%"
INDEX = "0.0000"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
BOLD = Font(bold=True)
FIRST_YEAR_COLUMN = 3
UNIT_WORDS = {"GBP_bn": "£bn cash", "fraction": "share", "fraction_per_year": "share a year",
              "flag": "1 = yes, 0 = no"}


def name_of(path: str, year: str | None = None) -> str:
    """The Excel name of a parameter (and year): dots and slashes become underscores."""
    text = path if year is None else f"{path}_{year}"
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


class Inputs:
    """The Inputs sheet: one row per named value, with its unit and source."""

    def __init__(self, wb: Workbook, params: Parameters):
        self.wb, self.params = wb, params
        self.ws = wb.create_sheet("Inputs")
        self.ws.append(["Name", "Parameter", "Year", "Value", "Unit", "What it is", "Source"])
        for cell in self.ws[1]:
            cell.font = BOLD
        self.names: dict[tuple[str, str | None], str] = {}

    def heading(self, text: str) -> None:
        self.ws.append([])
        self.ws.append([text])
        self.ws.cell(self.ws.max_row, 1).font = Font(bold=True, size=12)

    def add(self, path: str, year: str | None = None, value: float | None = None,
            unit: str | None = None, source: str | None = None,
            description: str | None = None) -> str:
        """A named input cell; returns its name (for formulas)."""
        param = self.params[path] if path in self.params else None  # noqa: SIM401 - no .get
        if value is None and param is not None:
            value = self.params.value(path, year)
        name = name_of(path, year)
        unit = unit or (param.unit if param is not None else "")
        self.ws.append([name, path, year or "", value, UNIT_WORDS.get(unit, words(unit)),
                        description or (param.description if param is not None else ""),
                        source or (param.source_text() if param is not None else "")])
        row = self.ws.max_row
        cell = self.ws.cell(row, 4)
        cell.fill = INPUT_FILL
        cell.number_format = (PERCENT if unit in ("fraction", "fraction_per_year")
                              else MONEY_BN if unit == "GBP_bn" else "General")
        self.wb.defined_names[name] = DefinedName(name, attr_text=f"Inputs!$D${row}")
        self.names[(path, year)] = name
        return name

    def finish(self) -> None:
        for col, width in zip("ABCDEFG", (44, 44, 9, 12, 18, 60, 60), strict=True):
            self.ws.column_dimensions[col].width = width
        self.ws.freeze_panes = "A2"


def gap_inputs(inputs: Inputs, c: GapComponents, flat_real: bool) -> None:
    """Every input the Gap sheet's formulas read, as named cells."""
    params = inputs.params
    inputs.heading("Inflation: GDP deflator growth (the cash cost of every sector)")
    for year in c.years[1:]:
        inputs.add(c.deflator_path, year)
    inputs.heading("Non-demographic growth of cost per year, real terms, by sector")
    for path in c.growth_paths:
        inputs.add(path)
    inputs.heading("Opening position in the base year (£bn cash): England's underlying deficit")
    for path in OPENING_PATHS:
        inputs.add(path, c.years[0])
    inputs.heading("Funding (£bn cash) and NHS England's budget shares by sector")
    inputs.add("gap.funding.flat_real", value=1.0 if flat_real else 0.0, unit="flag",
               description="1: every sector's funding held flat in real terms (its base-year "
                           "funding × the deflator); 0: the funding series below (SR2015)",
               source="openstp gap --funding flat-real")
    seen: set[tuple[str, str | None]] = set()
    for sector in c.sectors:
        rule = funding_rule(sector)
        wanted = [(rule.series, y) for y in (c.years if rule.kind != "base_plus_new_money"
                                              else c.years[:1])]
        wanted += [(rule.share, None)] if rule.share else []
        wanted += [(p, y) for p in rule.new_money for y in c.years]
        for path, year in wanted:
            if (path, year) in seen:
                continue
            seen.add((path, year))
            first = params[path].years[0] if params[path].is_series else None
            value = 0.0 if first is not None and year is not None and year < first else None
            inputs.add(path, year, value=value)


def write_gap_data(wb: Workbook, c: GapComponents) -> Worksheet:
    """The base data the formulas read: England's cost-weighted demographic index."""
    ws = wb.create_sheet("Gap data")
    ws.append(["Sector", "Funder", *c.years])
    for cell in ws[1]:
        cell.font = BOLD
    for s, sector in enumerate(c.sectors):
        ws.append([words(sector), words(c.funders[s]), *map(float, c.demographic_index[s])])
        for col in range(FIRST_YEAR_COLUMN, FIRST_YEAR_COLUMN + len(c.years)):
            ws.cell(ws.max_row, col).number_format = INDEX
    ws.append([])
    ws.append([("England's demographic index per sector: each footprint's population carried "
               "forward (ONS 2016-based projections), weighted by the sector's spend by age and "
               "deprivation and by the footprint's base-year spend; 1 in the base year.")])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 18
    return ws


def write_gap_sheet(wb: Workbook, c: GapComponents, names: dict[tuple[str, str | None], str]
                    ) -> dict[str, str]:
    """The Gap sheet; returns the cells of its totals (``nhs``, ``local``, ``all``) at horizon."""
    ws = wb.create_sheet("Gap")
    years = c.years
    cols = [get_column_letter(FIRST_YEAR_COLUMN + i) for i in range(len(years))]
    ws.append([("England's do-nothing gap, recomputed from the Inputs sheet (£ cash; shown in "
               "£m, full pounds underneath)")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Sector", "Line", *years])
    for cell in ws[2]:
        cell.font = BOLD
    ws.append(["All sectors", "Deflator index", *[
        1 if i == 0 else f"={cols[i - 1]}3*(1+{names[(c.deflator_path, y)]})"
        for i, y in enumerate(years)]])
    deflator = 3
    for col in cols:
        ws[f"{col}{deflator}"].number_format = INDEX
    gap_rows: dict[str, list[int]] = {"nhs_england": [], "local_government": []}
    flat = names[("gap.funding.flat_real", None)]
    for s, sector in enumerate(c.sectors):
        rule = funding_rule(sector)
        top = ws.max_row + 1
        series = [_funding(rule, names, years, i) for i in range(len(years))]
        funding = [f"=IF({flat}=1,$C{top + 1}*{col}${deflator},{f})"
                   for col, f in zip(cols, series, strict=True)]
        growth = names[(c.growth_paths[s], None)]
        label = words(sector)
        ws.append([label, "Funding", *funding])
        ws.append([label, "Base spend", f"={series[0]}"])
        ws.append([label, "Opening deficit (carried in the cost base)", _opening(
            sector, names, years[0])])
        ws.append([label, "Demographic index",
                   *[f"='Gap data'!{col}{s + 2}" for col in cols]])
        ws.append([label, "Non-demographic growth index",
                   *[f"=(1+{growth})^{i}" for i in range(len(years))]])
        ws.append([label, "Cost", *[f"=($C{top + 1}+$C{top + 2})*{col}{top + 3}*"
                                    f"{col}{top + 4}*{col}${deflator}" for col in cols]])
        ws.append([label, "Gap", *[f"={col}{top + 5}-{col}{top}" for col in cols]])
        gap_rows[c.funders[s]].append(top + 6)
        for row, fmt in ((top, MONEY_M), (top + 1, MONEY_M), (top + 2, MONEY_M),
                         (top + 3, INDEX), (top + 4, INDEX), (top + 5, MONEY_M),
                         (top + 6, MONEY_M)):
            for col in cols:
                ws[f"{col}{row}"].number_format = fmt
        for cell in ws[top + 6]:
            cell.font = BOLD
    ws.append([])
    totals = {}
    for key, label, rows in (("nhs", "NHS England sectors (the Five Year Forward View's scope)",
                              gap_rows["nhs_england"]),
                             ("local", "Local government (public health, adult social care)",
                              gap_rows["local_government"]),
                             ("all", "All sectors", gap_rows["nhs_england"]
                              + gap_rows["local_government"])):
        ws.append(["England", f"Gap: {label}",
                   *[f"=SUM({','.join(f'{col}{r}' for r in rows)})" for col in cols]])
        for col in cols:
            ws[f"{col}{ws.max_row}"].number_format = MONEY_M
            ws[f"{col}{ws.max_row}"].font = BOLD
        ws.cell(ws.max_row, 2).font = BOLD
        totals[key] = f"Gap!${cols[-1]}${ws.max_row}"
    ws.append([])
    nhs = [i for i, f in enumerate(c.funders) if f == "nhs_england"]
    ws.append(["Check", "openstp gap at the defaults (NHS England sectors)",
               *map(float, c.gap[nhs].sum(axis=0))])
    for col in cols:
        ws[f"{col}{ws.max_row}"].number_format = MONEY_M
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 52
    for col in cols:
        ws.column_dimensions[col].width = 14
    ws.freeze_panes = "C3"
    return totals


def _opening(sector: str, names: dict[tuple[str, str | None], str], base: str) -> str | float:
    """The sector's opening deficit as a formula of the named inputs (£), 0 outside acute."""
    if sector != OPENING_SECTOR:
        return 0.0
    deficit, surplus = (names[(p, base)] for p in OPENING_PATHS)
    return f"=({deficit}-{surplus})*1E9"


def _funding(rule, names: dict[tuple[str, str | None], str], years: list[str], i: int) -> str:
    """A sector's national funding in year ``i`` as a formula of named inputs (£)."""
    y, base = years[i], years[0]
    if rule.kind == "share_of_budget":
        return f"{names[(rule.series, y)]}*{names[(rule.share, None)]}*1E9"
    if rule.kind == "grant":
        return f"{names[(rule.series, y)]}*1E9"
    new = "+".join(names[(p, y)] for p in rule.new_money)
    first = "+".join(names[(p, base)] for p in rule.new_money)
    return f"({names[(rule.series, base)]}+({new})-({first}))*1E9"
