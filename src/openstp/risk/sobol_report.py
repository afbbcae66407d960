"""The ``openstp sensitivity`` command's work: Sobol indices as Dask tasks, printed ranked by
total index or written as csv, json or parquet (``--out FILE``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd

from openstp.errors import OpenSTPError, problem
from openstp.io import write_text_atomic
from openstp.output import Format, check_finite, dumps, emit, records, stderr
from openstp.params import load_parameters
from openstp.risk.sobol import REGISTRY, factors, sensitivity
from openstp.risk.takes_report import lay_out, pick_plans, with_progress
from openstp.risk.tasks import Where

EXPLAIN = (
    "Sobol indices of England's mean residual gap in the horizon year over every ranged "
    "parameter (each drawn uniformly between its low and high; Saltelli's sample, the Monte "
    "Carlo run with the same seed for every sample). First order: the share of the variance "
    "the parameter explains alone; total: with all its interactions. Intervals are 95% "
    "bootstrap intervals; indices a little below 0 or above 1 are sampling noise. The "
    "one-at-a-time tornado (openstp gap --tornado) stays the quick view.")


def sensitivity_command(*, plan_files: list[Path], footprint: str | None, samples: int,
                        draws: int, seed: int, fmt: Format, out: Path | None,
                        overrides: dict[str, Any], params_files: list[Path], where: Where
                        ) -> pd.DataFrame:
    """Compute the indices as the CLI asked and emit them; returns England's table."""
    if samples < 2 or samples & (samples - 1):
        raise OpenSTPError([problem("--samples", f"the Sobol sample needs a power of 2 "
                                    f"(8, 16, … 1024), got {samples}")])
    params = load_parameters(params_files, overrides)
    if not factors(params):
        raise OpenSTPError([problem("sensitivity", "no parameter under "
                                    f"{', '.join(REGISTRY)} has a low and a high")])
    inputs = lay_out(pick_plans(plan_files, footprint), params)
    england, footprints, runs = with_progress("Sobol samples", lambda progress: sensitivity(
        inputs, params, samples, draws, seed, where, progress))
    meta = {"samples": samples, "model_runs": runs, "draws": draws, "seed": seed,
            "horizon": inputs.years[-1], "output": "England's mean residual gap",
            "illustrative": all(p.illustrative for p in inputs.plans), "explanation": EXPLAIN}
    if fmt is Format.table:
        table = england.assign(
            first_order=england["first_order"].map("{:.3f}".format) + " [" + england[
                "first_order_low"].map("{:.2f}".format) + ", " + england[
                "first_order_high"].map("{:.2f}".format) + "]",
            total=england["total"].map("{:.3f}".format) + " [" + england["total_low"].map(
                "{:.2f}".format) + ", " + england["total_high"].map("{:.2f}".format) + "]")
        emit(table[["parameter", "total", "first_order"]].rename(columns={
            "total": "total index [95%]", "first_order": "first order [95%]"}), Format.table,
            title=f"Which assumptions matter: England's residual gap in {meta['horizon']}",
            caption=f"{EXPLAIN} {samples} base samples, {runs:,d} model runs of {draws:,d} "
                    f"draws, seed {seed}.")
        return england
    if fmt is Format.parquet:
        emit(england, fmt, out=out)
        return england
    text = (dumps(document(england, footprints, meta), str(out or "output"))
            if fmt is Format.json else check_finite(england, "output").to_csv(index=False))
    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(out, text)
        stderr.print(f"wrote {out}")
    return england


def document(england: pd.DataFrame, footprints: pd.DataFrame, meta: dict[str, Any]
             ) -> dict[str, Any]:
    """``rows``: England's parameters ranked by total index, each with its interval;
    ``footprints``: each footprint's P(balance) indices (null where it never varies)."""
    def with_intervals(frame: pd.DataFrame) -> list[dict[str, Any]]:
        out = []
        for row in records(frame):
            for key in ("first_order", "total"):
                row[f"{key}_interval"] = [row.pop(f"{key}_low"), row.pop(f"{key}_high")]
            out.append(row)
        return out

    constant = footprints.groupby("footprint")["total"].apply(lambda s: s.isna().all())
    return {**meta, "rows": with_intervals(england),
            "footprints_without_variation": sorted(constant[constant].index),
            "footprints": with_intervals(footprints.dropna(subset=["total"]))}
