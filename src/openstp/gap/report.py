"""The ``openstp gap`` command's work: run the model, shape the rows, write them.

England's gap (``england_gap``) is the NHS England-funded sectors' gap, the scope of the Five Year
Forward View's £30bn; councils' sectors (public health, adult social care) are reported beside it.
The JSON document also carries, per footprint (``footprints``) and for England (``england``),
the opening position and its method, the template and do-minimum gaps and the basis
(``openstp.gap.summary``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.progress import Progress

from openstp import data
from openstp.defaults import ICB_SETS
from openstp.gap.analysis import decompose as decompose_gap
from openstp.gap.analysis import sensitivity as sensitivity_table
from openstp.gap.basis import check_basis
from openstp.gap.minimum import STEPS, with_england
from openstp.gap.minimum import bridge as bridge_table
from openstp.gap.model import compute_gap, to_frame
from openstp.gap.summary import ENGLAND, footprint_summary
from openstp.output import Format, emit, records, stderr
from openstp.params import load_parameters

SCOPE = ("england_gap: NHS England-funded sectors (the Five Year Forward View's scope); "
         "local government sectors (public health, adult social care) reported separately")


def england_totals(rows: pd.DataFrame, column: str = "gap") -> dict[str, float]:
    """England's gap for one year: NHS England scope, local government, all sectors."""
    by_funder = rows.groupby("funder")[column].sum()
    return {"england_gap": float(by_funder.get("nhs_england", 0.0)),
            "england_gap_local_government": float(by_funder.get("local_government", 0.0)),
            "england_gap_all_sectors": float(by_funder.sum())}


def icb_funding(funding: str) -> str:
    """What an ICB run's funding is: ``sr2015`` names the planned budget, not the 2015 review."""
    path = "held flat in real terms" if funding == "flat-real" else "from NHS England's planned budget"
    return (f"ICB allocations (target shares of the national ICB total, {path}; specialised "
            "care, public health and social care not included)")


def gap_command(*, footprint_code: str | None, footprint_set: str, overrides: dict[str, float],
                params_files: list[Path], base_year: str, year: str, funding: str, real: bool,
                sensitivity: bool, decompose: bool, fmt: Format, out: Path | None,
                basis: str = "resident", bridge: bool = False) -> None:
    """Run the gap model as the CLI asked and emit the table, CSV, JSON or Parquet."""
    check_basis(basis)
    params = load_parameters(params_files, overrides)
    names = data.footprints(footprint_set).set_index("code")["name"]
    code = data.resolve_footprint(footprint_code, footprint_set).code if footprint_code else None
    meta = {"footprint_set": footprint_set, "base_year": base_year, "year": year,
            "funding": icb_funding(funding) if footprint_set in ICB_SETS else funding,
            "prices": "real (base-year prices)" if real else "cash",
            "basis": basis, "scope": SCOPE}
    if sensitivity:
        with Progress(transient=True, console=stderr) as bar:
            task = bar.add_task("sensitivity", total=None)
            table = sensitivity_table(footprint_set, params, base_year, year, funding,
                                      progress=lambda p: bar.update(task, description=p),
                                      basis=basis)
        table = table[table["footprint"] == (code or "england")]
        emit(table, fmt, out=out, extra=meta, money=("central", "low", "high", "swing"),
             title=f"Sensitivity of the {year} gap, {names.get(code, 'England')}: "
                   "each parameter at its low and high value")
        return
    arrays = compute_gap(footprint_set, params, base_year, year, funding, basis=basis)
    if bridge:
        _emit_bridge(arrays, code, names, year, fmt, out, meta)
        return
    if decompose:
        bridge = decompose_gap(arrays, year)
        bridge.insert(1, "name", bridge["footprint"].map(names))
        if code:
            bridge = bridge[bridge["footprint"] == code]
        emit(bridge, fmt, out=out, extra=meta, title=f"What makes up the {year} gap",
             money=("demography", "non_demographic", "inflation", "interaction", "opening",
                    "funding", "gap"))
        return
    rows = to_frame(arrays)
    suffix = "_real" if real else ""
    # England's totals are always every footprint's; one footprint's own are named as its
    totals = england_totals(rows[rows["year"] == year], f"gap{suffix}")
    if code:
        rows = rows[rows["footprint"] == code]
    at_year = rows[rows["year"] == year]
    if code:
        totals |= {k.replace("england", "footprint", 1): v
                   for k, v in england_totals(at_year, f"gap{suffix}").items()}
    summary = footprint_summary(arrays, year, real)
    if fmt is Format.table:
        _print_table(rows, at_year, code, names, year, suffix, totals, meta, summary)
        return
    summary.insert(1, "name", summary["footprint"].map(names).fillna("England"))
    mine = summary[summary["footprint"] == code] if code else summary.iloc[:-1]
    emit(at_year if fmt is Format.json else rows, fmt, out=out,
         extra={**meta, **totals, "england": records(summary.iloc[-1:])[0],
                "footprints": records(mine)})


def _emit_bridge(arrays, code: str | None, names: pd.Series, year: str, fmt: Format,
                 out: Path | None, meta: dict) -> None:
    """The path from a balanced start to the template and do-minimum gaps, per footprint and
    for England: table, CSV or JSON."""
    frame = with_england(bridge_table(arrays, year))
    frame.insert(1, "name", frame["footprint"].map(names).fillna("England"))
    if code:
        frame = frame[frame["footprint"].isin([code, ENGLAND])]
    emit(frame, fmt, out=out, extra={**meta, "efficiency": arrays.efficiency},
         money=tuple(c for c in STEPS), title=f"From do-nothing to do-minimum, {year} "
         f"({meta['basis']} basis)",
         caption=(f"Efficiency a year: historical {arrays.efficiency['historical']:.1%}, "
                  f"national planning {arrays.efficiency['national_planning']:.1%} "
                  "(NHS sectors). Each row's steps add up to its gaps."))


def _print_table(rows: pd.DataFrame, at_year: pd.DataFrame, code: str | None, names: pd.Series,
                 year: str, suffix: str, totals: dict[str, float], meta: dict,
                 summary: pd.DataFrame) -> None:
    cols = [f"cost{suffix}", f"funding{suffix}", f"gap{suffix}"]
    prices = meta["prices"]
    if code:
        mine = summary[summary["footprint"] == code].iloc[0]
        by = rows.pivot_table(index="sector", columns="year", values=f"gap{suffix}",
                              sort=False).reset_index()
        emit(by, Format.table, money=tuple(c for c in by.columns if c != "sector"),
             title=f"Do-nothing gap by sector and year, {names[code]} ({prices})",
             caption=f"Funding {meta['funding']}; base {meta['base_year']}; "
                     f"{meta['basis']} basis. Opening position "
                     f"£{mine['opening_position'] / 1e6:,.1f}m ({mine['opening_method']}), "
                     "carried in acute. "
                     f"Population method: {rows['demography_method'].iloc[-1]}.")
        return
    by = at_year.groupby("footprint")[cols].sum().reset_index()
    by.insert(1, "name", by["footprint"].map(names))
    by = by.merge(summary[["footprint", "opening_position", "opening_method", "do_minimum_gap"]],
                  on="footprint")
    emit(by, Format.table, money=(*cols, "opening_position", "do_minimum_gap"),
         title=f"Do-nothing gap in {year} by footprint ({prices}, all sectors, "
               f"{meta['basis']} basis)",
         caption=(f"England: £{totals['england_gap'] / 1e9:,.1f}bn NHS England sectors; "
                  f"£{totals['england_gap_local_government'] / 1e9:,.1f}bn public health and "
                  f"adult social care; opening position £{summary['opening_position'].iloc[-1] / 1e9:,.1f}bn; "
                  f"do-minimum (historical efficiency) £{summary['do_minimum_gap'].iloc[-1] / 1e9:,.1f}bn. "
                  f"Funding {meta['funding']}, base {meta['base_year']}."))
