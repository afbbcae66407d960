"""The ``openstp workforce`` and ``openstp social-care`` commands' work: run, shape, emit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from openstp.errors import OpenSTPError, problem
from openstp.output import Format, emit, records, stderr
from openstp.params import load_parameters
from openstp.plan import load_plan
from openstp.workforce.api import PLAN_STATUS, workforce_gap
from openstp.workforce.groups import GROUPS
from openstp.workforce.social_care_api import social_care_gap

SHORT = {"doctors": "doctors", "nurses_midwives": "nurses & midwives", "ahp": "AHPs",
         "gps": "GPs", "community": "community nurses", "support": "support",
         "social_care": "social care"}
DETAIL = ["group", "in_post_base", "required", "supply", "gap", "gap_p10", "gap_p90",
          "fill_rate", "p_shortfall", "agency_cost"]


def _year(years: list[str], year: str | None) -> str:
    if year is None:
        return years[-1]
    if year not in years:
        raise OpenSTPError([problem("--year", f"{year} is not a year of the run "
                                    f"({years[0]} to {years[-1]})")])
    return year


def _range(row: pd.Series) -> str:
    return f"{row['gap']:,.0f} ({row['gap_p10']:,.0f} to {row['gap_p90']:,.0f})"


def wide_gap(table: pd.DataFrame, england: pd.DataFrame, year: str) -> pd.DataFrame:
    """One row per footprint (England first): each group's gap "central (P10 to P90)" FTE."""
    rows = table[table["year"] == year].assign(cell=lambda t: t.apply(_range, axis=1))
    wide = rows.pivot(index=["footprint", "name"], columns="group", values="cell")[list(GROUPS)]
    eng = england[england["year"] == year].assign(cell=lambda t: t.apply(_range, axis=1))
    top = pd.DataFrame([{"footprint": "E92000001", "name": "England",
                         **dict(zip(eng["group"], eng["cell"], strict=True))}])
    out = pd.concat([top, wide.reset_index()], ignore_index=True)
    return out.rename(columns=SHORT)


def workforce_command(*, plan_path: Path | None, footprint: str | None, footprint_set: str,
                      overrides: dict[str, float], draws: int, seed: int, year: str | None,
                      fmt: Format, out: Path | None) -> None:
    """Run the workforce model for a plan, a footprint or England and emit the result."""
    params = load_parameters((), overrides)
    plan = load_plan(plan_path) if plan_path else None
    with stderr.status("simulating workforce"):
        delivery = None
        if plan is not None:
            # The plan's schemes deliver as the risk model simulates them, draw for draw.
            from openstp.risk import simulate

            risk = simulate(plan, draws=max(draws - 1, 1), seed=seed, params=params,
                            keep_delivered=True)
            delivery = risk.delivered_share(risk.footprints[0])[:draws]
        result = workforce_gap(footprint_set, plan=plan, footprint=footprint, draws=draws,
                               seed=seed, params=params, delivery=delivery)
    years = list(result.england["year"].unique())
    year = _year(years, year)
    meta = {"draws": draws, "seed": seed, "year": year, "notes": result.notes,
            "workforce_plan": result.workforce_plan if plan else None,
            "england": records(result.england[result.england["year"] == year]),
            "readiness": records(result.readiness), "baseline": records(result.baseline),
            "finance": records(result.finance[result.finance["year"] == year].groupby(
                "sector", as_index=False)[["gap", "workforce_cost", "gap_with_workforce"]].sum())}
    if fmt is Format.json:
        emit(result.table, fmt, out=out, extra=meta)
        return
    if fmt is not Format.table:
        emit(result.table, fmt, out=out)
        return
    caption = (f"{draws:,} simulated futures; gap = required − supply (FTE); the central case "
               "can lie outside P10-P90 where a sourced range is one-sided. " + result.notes[0])
    if result.footprint is None:
        emit(wide_gap(result.table, result.england, year), fmt, caption=caption,
             title=f"Workforce gap in {year} by footprint and group: central (P10 to P90) FTE")
        return
    if plan is not None:
        stderr.print(f"[bold]Workforce plan:[/bold] {result.workforce_plan}. "
                     f"{PLAN_STATUS[result.workforce_plan]}")
    rows = result.table[result.table["year"] == year]
    emit(rows[DETAIL], fmt, money=("agency_cost",), caption=caption,
         title=f"Workforce gap by group in {year}, {rows['name'].iloc[0]}")
    by_year = result.table.pivot(index="group", columns="year", values="gap").loc[list(GROUPS)]
    by_year = by_year.round().astype(int)
    emit(by_year.reset_index(), fmt, title="Central gap by year (FTE)")
    if len(result.readiness):
        emit(result.readiness[["kind", "id", "start_year", "groups", "p_staffed", "verdict",
                               "reason"]], fmt, title="Are the staff in place when it starts?")


SOCIAL_COLUMNS = ["cost", "funding", "gap", "plan_savings", "plan_funding", "residual_gap",
                  "unmet_share", "extra_delayed_days", "extra_beds", "extra_bed_cost"]
SOCIAL_MONEY = ("cost", "funding", "gap", "plan_savings", "plan_funding", "residual_gap",
                "extra_bed_cost")


def social_care_command(*, plan_path: Path | None, footprint: str | None, footprint_set: str,
                        overrides: dict[str, float], draws: int, seed: int, year: str | None,
                        councils: bool, fmt: Format, out: Path | None) -> None:
    """Run the social care model for a plan, a footprint or England and emit the result."""
    params = load_parameters((), overrides)
    plan = load_plan(plan_path) if plan_path else None
    result = social_care_gap(footprint_set, plan=plan, footprint=footprint, draws=draws,
                             seed=seed, params=params)
    year = _year(list(result.footprints["year"].unique()), year)
    if fmt is Format.json:
        emit(result.footprints, fmt, out=out,
             extra={"draws": draws, "seed": seed, "year": year, "england": result.england,
                    "notes": result.notes, "councils": records(result.councils)})
        return
    if fmt is not Format.table:
        emit(result.councils if councils else result.footprints, fmt, out=out)
        return
    caption = " ".join(result.notes)
    if footprint is None and plan is None:
        rows = result.footprints[result.footprints["year"] == year]
        e = result.england
        emit(rows[["footprint", "name", *SOCIAL_COLUMNS]], fmt, money=SOCIAL_MONEY,
             title=f"Adult social care in {year} by footprint",
             caption=f"England: gap £{float(e['gap']) / 1e9:,.2f}bn; "
                     f"{float(e['extra_delayed_days']):,.0f} more delayed days "
                     f"({float(e['extra_delayed_days_p10']):,.0f} to "
                     f"{float(e['extra_delayed_days_p90']):,.0f}). " + caption)
        return
    rows = result.footprints
    emit(rows[["year", *SOCIAL_COLUMNS]], fmt, money=SOCIAL_MONEY, caption=caption,
         title=f"Adult social care, {rows['name'].iloc[0]}")
    council_rows = result.councils[result.councils["year"] == year]
    emit(council_rows[["council", "council_name", "weight", "cost", "gap", "residual_gap",
                       "extra_delayed_days"]], fmt,
         money=("cost", "gap", "residual_gap"), title=f"By council in {year}")
