"""The Excel workbook: a model of the gap that recomputes in Excel, and every results table as a
real, formatted sheet for finance teams.

*Read me* says what each sheet is; *Inputs* and *Gap* are the model (``workbook_model``): named
input cells and live formulas. Numbers are numbers (never pictures or text), formatted by unit:
money in £m to one decimal with negatives in brackets (full pounds underneath), shares as
percentages, staff and beds as counts; rules by their titles; headers frozen and filterable;
totals written as values that equal the CLI's figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from openstp.defaults import ICB_SETS
from openstp.gap.sectors import NHS_SECTORS
from openstp.io import write_with
from openstp.report.results import Results
from openstp.report.workbook_model import MONEY_M
from openstp.report.workbook_sheets import readable, write_model, write_read_me, write_social_care

MONEY = MONEY_M
PERCENT = "0.0%"
COUNT = "#,##0"
MINUTES = "0.0"
NUMBER = "General"
FORMATS = {
    MONEY: {"cost", "funding", "gap", "cost_real", "funding_real", "gap_real", "amount",
            "planned", "expected", "residual_gap_mean", "england_gap",
            "england_gap_all_sectors", "extra_funding_p50", "extra_funding_p50_error",
            "extra_funding_p80", "extra_funding_p80_error"},
    PERCENT: {"probability_of_balance", "variance_share", "p_enough_beds", "mean_occupancy",
              "winter_occupancy", "p_no_bed_free_winter_day", "probability_safe",
              "probability_of_balance_mean", "extra_funding_p50_share",
              "extra_funding_p80_share"},
    COUNT: {"beds_planned", "beds_required_p10", "beds_required_p50", "beds_required_p90",
            "beds_gap", "people", "people_beyond_45min", "people_beyond_45min_before",
            "people_beyond_45min_after", "workforce_gap_fte", "required", "supply_p10",
            "supply_p50", "supply_p90", "shortfall_p50", "days_above_92pct",
            "days_above_95pct", "change"},
    MINUTES: {"mean_minutes_before", "mean_minutes_after", "minutes_before", "minutes_after"},
}
SHEET_FORMATS = {"Residual": {c: MONEY for c in ("mean", "p10", "p50", "p90")},
                 # staff are not £: the workforce gap is in FTE, only its agency cost in £
                 "Workforce": {"gap": COUNT, "gap_p10": COUNT, "gap_p90": COUNT,
                               "supply": COUNT, "agency_cost": MONEY},
                 "Social care": {c: MONEY for c in (
                     "precept", "ibcf", "spring_budget_2017_grant", "plan_savings",
                     "plan_funding", "extra_funding", "residual_gap", "residual_gap_p10",
                     "residual_gap_p90", "extra_bed_cost")} | {
                     "unmet_share": PERCENT, "extra_beds": "#,##0.0"} | {
                     c: COUNT for c in ("delayed_days", "extra_delayed_days",
                                        "extra_delayed_days_p10", "extra_delayed_days_p90")}}
HEADER_FILL = PatternFill("solid", fgColor="005EB8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)
SHEETS = (("League", "league"), ("Review", "verdicts"), ("Rules", "rules"),
          ("Assumptions", "assumptions"), ("Gap by footprint", "gap"), ("Bridge", "bridge"),
          ("Schemes", "schemes"), ("Residual", "residual"), ("Beds", "beds"),
          ("Closures", "closures"), ("Workforce", "workforce"), ("Access", "access"))


OPTIONAL_SHEETS = (("Sensitivity", "sensitivity"),)  # when the review ran them


def column_format(sheet: str, column: str) -> str:
    """The Excel number format of ``column`` on ``sheet``."""
    if column in SHEET_FORMATS.get(sheet, {}):
        return SHEET_FORMATS[sheet][column]
    return next((f for f, cols in FORMATS.items() if column in cols), NUMBER)


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _widths(ws: Worksheet, rows: Iterable[Iterable[Any]], columns: list[str]) -> None:
    width = [len(c) for c in columns]
    for row in rows:
        for i, v in enumerate(row):
            n = len(f"{v:,.0f}") + 2 if isinstance(v, float) else len(str(v or ""))
            width[i] = max(width[i], n)
    for i, w in enumerate(width, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)


def write_frame(ws: Worksheet, df: pd.DataFrame, totals: dict[str, float] | None = None,
                total_label: str = "Total") -> None:
    """Write ``df`` with a styled, frozen, filterable header; ``totals`` go in a bold last row."""
    columns = [str(c) for c in df.columns]
    ws.append(columns)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    rows = [[_value(v) for v in row] for row in df.itertuples(index=False)]
    for row in rows:
        ws.append(row)
    last = ws.max_row
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    if totals:
        ws.append([total_label if i == 0 else totals.get(c) for i, c in enumerate(columns)])
        for cell in ws[ws.max_row]:
            cell.font = TOTAL_FONT
    formats = [column_format(ws.title, c) for c in columns]
    for i, f in enumerate(formats, start=1):
        if f != NUMBER:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = f
    ws.freeze_panes = "B2"
    _widths(ws, rows[:500], columns)


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


def _about(ws: Worksheet, results: Results) -> None:
    e = results.england
    ws.append(["OpenSTP results workbook"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([("Every sheet is a table from the results folder; money is £ cash, years are "
               "NHS financial years.")])
    ws.append([])
    for key in ("footprint_set", "base_year", "horizon", "draws", "seed", "openstp_version",
                "generated", "plans", "england_gap", "england_gap_all_sectors",
                "probability_of_balance_mean"):
        ws.append([key, _value(e.get(key))])
        ws.cell(ws.max_row, 2).number_format = column_format("About", key)
        ws.cell(ws.max_row, 1).font = TOTAL_FONT
    for status, n in e.get("overall", {}).items():
        ws.append([f"footprints {status}", n])
        ws.cell(ws.max_row, 1).font = TOTAL_FONT
    ws.append([])
    for note in e.get("notes", []):
        ws.append(["note", note])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90


def build_workbook(results: Results, *, model: bool = True) -> Workbook:
    """The workbook in memory: Read me, the gap model (Inputs, Gap, Gap data), About, Gap
    summary, then one sheet per results table and Social care. ``model=False`` leaves out the
    model and the social care run (for a quick table dump)."""
    # The live-formula gap model and the social care run are built on the STP-era series;
    # today's ICB sets have the results' tables only (their gap is openstp.gap.icb's).
    model = model and results.england["footprint_set"] not in ICB_SETS
    wb = Workbook()
    readme = wb.active
    readme.title = "Read me"
    if model:
        write_model(wb, results)
    about = wb.create_sheet("About")
    _about(about, results)
    summary = gap_summary(results)
    money_cols = [c for c in summary.columns if c not in ("footprint", "name")]
    ws = wb.create_sheet("Gap summary")
    write_frame(ws, summary, {c: float(summary[c].sum()) for c in money_cols}, "England")
    for col in range(3, len(summary.columns) + 1):
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = MONEY
    sheets = [*SHEETS, *((t, n) for t, n in OPTIONAL_SHEETS if n in results.tables)]
    for title, name in sheets:
        df = readable(results, name)
        totals = None
        if name == "schemes":
            totals = {c: float(df[c].sum()) for c in ("planned", "expected")}
        sheet = wb.create_sheet(title)
        write_frame(sheet, df, totals)
        if name == "access" and df.empty:
            sheet.append([])
            sheet.append([("No plan in these results opens, closes or downgrades a hospital "
                          "service, so there is no change in travel to show. A plan's "
                          "site_changes fill this sheet; `openstp access PLAN.yaml` assesses "
                          "one plan, `openstp access --sweep` every site.")])
    if model:
        write_social_care(wb, results, write_frame)
    write_read_me(readme, wb.sheetnames, results)
    return wb


def write_workbook(results: Results, path: str | Path) -> Path:
    """Write the workbook to ``path`` atomically and return the path."""
    wb = build_workbook(results)
    write_with(path, lambda tmp: wb.save(tmp))
    return Path(path)
