"""The Excel workbook: every results table as a real, formatted sheet for finance teams.

Numbers are numbers (never pictures or text): money in £ with thousands separators and negatives
in brackets, shares as percentages; headers are frozen and filterable; totals are written as
values that equal the CLI's figures. The sheets are written by ``openstp.report.xlsx``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from openstp.gap.sectors import NHS_SECTORS
from openstp.io import write_with
from openstp.report.results import Results
from openstp.report.xlsx import Sheet, Style, column_letter, write_xlsx, xlsx_bytes

MONEY = '£#,##0;[Red](£#,##0);"–"'
PERCENT = "0.0%"
COUNT = "#,##0"
MINUTES = "0.0"
NUMBER = "General"
FORMATS = {
    MONEY: {"cost", "funding", "gap", "cost_real", "funding_real", "gap_real", "amount",
            "planned", "expected", "residual_gap_mean", "england_gap",
            "england_gap_all_sectors"},
    PERCENT: {"probability_of_balance", "variance_share", "p_enough_beds", "mean_occupancy",
              "winter_occupancy", "p_no_bed_free_winter_day", "probability_safe",
              "probability_of_balance_mean"},
    COUNT: {"beds_planned", "beds_required_p10", "beds_required_p50", "beds_required_p90",
            "beds_gap", "people", "people_beyond_45min", "people_beyond_45min_before",
            "people_beyond_45min_after", "workforce_gap_fte", "required", "supply_p10",
            "supply_p50", "supply_p90", "shortfall_p50", "days_above_92pct",
            "days_above_95pct", "change"},
    MINUTES: {"mean_minutes_before", "mean_minutes_after", "minutes_before", "minutes_after"},
}
SHEET_FORMATS = {"Residual": {c: MONEY for c in ("mean", "p10", "p50", "p90")}}
HEADER = Style(bold=True, colour="FFFFFF", fill="005EB8", wrap=True)
BOLD = Style(bold=True)
SHEETS = (("League", "league"), ("Review", "verdicts"), ("Rules", "rules"),
          ("Assumptions", "assumptions"), ("Gap", "gap"), ("Bridge", "bridge"),
          ("Schemes", "schemes"), ("Residual", "residual"), ("Beds", "beds"),
          ("Closures", "closures"), ("Workforce", "workforce"), ("Access", "access"))


def column_format(sheet: str, column: str) -> str:
    """The Excel number format of ``column`` on ``sheet``."""
    if column in SHEET_FORMATS.get(sheet, {}):
        return SHEET_FORMATS[sheet][column]
    return next((f for f, cols in FORMATS.items() if column in cols), NUMBER)


def _widths(rows: list[list[Any]], columns: list[str]) -> dict[int, float]:
    width = [len(c) for c in columns]
    for row in rows:
        for i, v in enumerate(row):
            n = len(f"{v:,.0f}") + 2 if isinstance(v, float) else len(str(v or ""))
            width[i] = max(width[i], n)
    return {i: min(max(w + 2, 8), 60) for i, w in enumerate(width, start=1)}


def frame_sheet(title: str, df: pd.DataFrame, totals: dict[str, float] | None = None,
                total_label: str = "Total", formats: list[str] | None = None) -> Sheet:
    """``df`` as a sheet with a styled, frozen, filterable header; ``totals`` in a bold last row.

    ``formats`` (one per column) replace the number formats found from the column names.
    """
    columns = [str(c) for c in df.columns]
    formats = formats or [column_format(title, c) for c in columns]
    sheet = Sheet(title, freeze="B2")
    sheet.append(columns, [HEADER] * len(columns))
    body = [Style(number_format=f) for f in formats]  # one list, shared by every row
    rows = [list(row) for row in zip(*(df[c].tolist() for c in df.columns), strict=True)]
    for row in rows:
        sheet.append(row, body)
    if rows:
        sheet.filter = f"A1:{column_letter(len(columns))}{len(rows) + 1}"
    if totals:
        sheet.append([total_label if i == 0 else totals.get(c) for i, c in enumerate(columns)],
                     [Style(number_format=f, bold=True) for f in formats])
    sheet.widths = _widths(rows[:500], columns)
    return sheet


def gap_summary(results: Results) -> pd.DataFrame:
    """The NHS do-nothing gap by footprint (rows) and year (columns), and all sectors at horizon."""
    gap = results.tables["gap"]
    nhs = gap[gap["sector"].isin(NHS_SECTORS)]
    table = nhs.pivot_table(index="footprint", columns="year", values="gap", aggfunc="sum")
    horizon = results.horizon
    table[f"all sectors {horizon}"] = (gap[gap["year"] == horizon]
                                       .groupby("footprint")["gap"].sum())
    names = results.league.set_index("footprint")["name"]
    table = table.reindex([c for c in results.footprints() if c in table.index])
    table.insert(0, "name", names.reindex(table.index))
    return table.reset_index()


def _about(results: Results) -> Sheet:
    e = results.england
    sheet = Sheet("About", widths={1: 30, 2: 90})
    sheet.append(["OpenSTP results workbook"], [Style(bold=True, size=14)])
    sheet.append([("Every sheet is a table from the results folder; money is £ cash, years are "
                   "NHS financial years.")])
    sheet.append([])
    for key in ("footprint_set", "base_year", "horizon", "draws", "seed", "openstp_version",
                "generated", "plans", "england_gap", "england_gap_all_sectors",
                "probability_of_balance_mean"):
        sheet.append([key, e.get(key)],
                     [BOLD, Style(number_format=column_format("About", key))])
    for status, n in e.get("overall", {}).items():
        sheet.append([f"footprints {status}", n], [BOLD, Style()])
    sheet.append([])
    for note in e.get("notes", []):
        sheet.append(["note", note])
    return sheet


def workbook_sheets(results: Results) -> list[Sheet]:
    """The workbook's sheets: About, Gap summary, then one sheet per results table."""
    summary = gap_summary(results)
    money_cols = [c for c in summary.columns if c not in ("footprint", "name")]
    sheets = [_about(results), frame_sheet(
        "Gap summary", summary, {c: float(summary[c].sum()) for c in money_cols}, "England",
        [NUMBER, NUMBER] + [MONEY] * len(money_cols))]
    for title, name in SHEETS:
        df = results.tables[name]
        totals = None
        if name == "schemes":
            totals = {c: float(df[c].sum()) for c in ("planned", "expected")}
        sheets.append(frame_sheet(title, df, totals))
    return sheets


def workbook_bytes(results: Results) -> bytes:
    """The workbook as the bytes of an .xlsx file (for a download)."""
    return xlsx_bytes(workbook_sheets(results))


def write_workbook(results: Results, path: str | Path) -> Path:
    """Write the workbook to ``path`` atomically and return the path."""
    sheets = workbook_sheets(results)
    write_with(path, lambda tmp: write_xlsx(tmp, sheets))
    return Path(path)
