"""The workbook's sheets beyond the plain tables: Read me, the gap model's sheets, Social care,
and the tables made readable (rules by their titles, not their codes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from openstp.defaults import CAPACITY_DRAWS
from openstp.gap.components import gap_components
from openstp.params import builtin_parameters
from openstp.report.footprint_blocks import key_assumptions
from openstp.report.results import Results
from openstp.report.workbook_model import Inputs, gap_inputs, write_gap_data, write_gap_sheet

SHEET_NOTES = {
    "Read me": "This sheet.",
    "Inputs": "Every key assumption as a named cell (yellow), with its unit and source. The "
              "gap inputs feed the Gap sheet: change one and the gap moves.",
    "Gap": "England's do-nothing gap by sector and year as live formulas of the Inputs and "
           "the Gap data: funding, base spend, demographic index, non-demographic growth, cost "
           "and gap. At the defaults it equals `openstp gap`.",
    "Gap data": "The base data the Gap formulas read: England's cost-weighted demographic "
                "index per sector and year.",
    "About": "The run: footprint set, years, draws, seed, version, England's figures, notes.",
    "Gap summary": "The NHS do-nothing gap per footprint and year, and all sectors at the "
                   "horizon, with England's total (values, as reviewed).",
    "League": "One row per footprint: overall verdict, each rule (by title), key figures.",
    "Review": "Every verdict with its rule's title and the sentence that explains it.",
    "Rules": "The readiness rules: id, title, question, source.",
    "Assumptions": "Every parameter the review used, by year, with unit and source.",
    "Gap by footprint": "The do-nothing gap per footprint, sector and year, cash and real.",
    "Bridge": "From the do-nothing gap to the gap left, per footprint.",
    "Schemes": "Each scheme's planned and expected saving and its share of the risk.",
    "Residual": "The gap left after the plan by year: mean and P10/P50/P90.",
    "Beds": "Beds planned against beds needed, occupancy and winter pressure.",
    "Closures": "Each planned bed closure against NHS England's bed test.",
    "Workforce": "Staff required against supplied per group (FTE), and the agency cost (£).",
    "Social care": "The adult social care gap per footprint and year, its funding, and the "
                   "delayed discharges and bed days of care left unfunded.",
    "Access": "Travel before and after each plan's site changes, by deprivation and rurality.",
}


def readable(results: Results, name: str) -> pd.DataFrame:
    """A results table as the workbook shows it: rules by title on League and Review."""
    df = results.tables[name]
    titles = dict(zip(results.tables["rules"]["rule"], results.tables["rules"]["title"],
                      strict=True))
    if name == "league":
        return df.rename(columns=titles)
    if name == "verdicts":
        out = df.copy()
        out.insert(list(out.columns).index("rule"), "rule_title", out["rule"].map(titles))
        return out
    return df


def write_model(wb: Workbook, results: Results) -> None:
    """Inputs, Gap and Gap data: England's gap at the results' years, at the defaults."""
    e = results.england
    params = builtin_parameters()
    c = gap_components(str(e["footprint_set"]), params, str(e["base_year"]), str(e["horizon"]))
    inputs = Inputs(wb, params)
    gap_inputs(inputs, c, flat_real=False)
    inputs.heading("Other key assumptions (the uncertain ones, and delivery by scheme type): "
                   "not read by these formulas; change them with --param in a run")
    keys = key_assumptions(results.tables["assumptions"], None)
    single = results.tables["assumptions"]
    single = single[single["year"].isna()]
    delivery = single[single["path"].str.startswith("risk.delivery.")]
    for row in pd.concat([keys, delivery]).drop_duplicates("path").to_dict("records"):
        # plans.* only build the built-in plans: a run never reads them
        if (row["path"], None) not in inputs.names and row["path"] in params \
                and not row["path"].startswith("plans."):
            inputs.add(row["path"], value=float(row["value"]))
    inputs.finish()
    write_gap_sheet(wb, c, inputs.names)
    write_gap_data(wb, c)


def write_social_care(wb: Workbook, results: Results,
                      write_frame: Callable[..., None]) -> None:
    """The adult social care gap per footprint (as ``openstp social-care``, before plans)."""
    from openstp.workforce.social_care_api import social_care_gap

    e = results.england
    draws = min(int(e.get("draws", CAPACITY_DRAWS)), CAPACITY_DRAWS)
    run = social_care_gap(str(e["footprint_set"]), draws=draws, seed=int(e.get("seed", 2016)))
    table = run.footprints[run.footprints["footprint"].isin(results.footprints())]
    money = [c for c in ("cost", "funding", "gap") if c in table]
    horizon = table[table["year"] == results.horizon]
    write_frame(wb.create_sheet("Social care"), table.reset_index(drop=True),
                {c: float(horizon[c].sum()) for c in money}, f"England {results.horizon}")


def write_read_me(ws: Worksheet, sheets: list[str], results: Results) -> None:
    """What the workbook is, how to use its model, and what each sheet holds."""
    e = results.england
    lines: list[list[Any]] = [
        [("OpenSTP workbook: England's Sustainability and Transformation Plans, open and "
         "testable")],
        [],
        ["How to use the model", ("Change a yellow cell on Inputs (growth, inflation, funding); "
         "the Gap sheet recalculates England's do-nothing gap by sector and year. At the "
         "defaults its figures equal `openstp gap`.")],
        ["Units", ("Money is £ cash, shown in £m to one decimal with negatives in brackets; the "
         "cell holds full pounds. Shares are percentages; staff are FTE; beds are beds. Years "
         "are NHS financial years (April to March).")],
        ["Sources", ("Every input carries its source (publisher, title, year) beside it on "
         "Inputs; every parameter of the review is on Assumptions.")],
        ["The run", (f"{e.get('footprint_set')} footprints, base {e.get('base_year')}, horizon "
         f"{e.get('horizon')}, {e.get('draws')} draws, seed {e.get('seed')}, OpenSTP "
         f"{e.get('openstp_version')}; plans: {e.get('plans')}.")],
        [],
        ["Sheet", "What it holds"],
        *[[name, SHEET_NOTES.get(name, "")] for name in sheets],
    ]
    for row in lines:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows(min_row=3):
        row[0].font = Font(bold=True)
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
