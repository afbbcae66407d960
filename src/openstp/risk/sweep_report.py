"""The ``openstp sweep`` command's work: read the grid, run its variants as Dask tasks and
write the long table (variant, footprint, measure, value) as Parquet, csv or json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from openstp.errors import OpenSTPError, problem
from openstp.output import Format, emit, stderr
from openstp.params import load_parameters
from openstp.risk.sweep import read_grid, run_sweep
from openstp.risk.takes_report import lay_out, pick_plans, with_progress
from openstp.risk.tasks import Where


def sweep_command(*, grid_file: Path, plan_files: list[Path], draws: int, seed: int,
                  fmt: Format, out: Path | None, overrides: dict[str, Any],
                  params_files: list[Path], where: Where) -> pd.DataFrame:
    """Run every variant of ``grid_file`` on the plans (default: the 44 built-in plans)."""
    if fmt is Format.parquet and out is None:
        raise OpenSTPError([problem("--out", "a sweep writes one Parquet table: add --out "
                                    "FILE.parquet, or use --format csv or json for stdout")])
    params = load_parameters(params_files, overrides)
    grid = read_grid(grid_file, params, draws, seed)
    base = lay_out(pick_plans(plan_files, None), params)
    table = with_progress(f"{len(grid.variants):,d} variants", lambda progress: run_sweep(
        base, params, grid, where, progress))
    extra = {"grid": str(grid_file), "draws": grid.draws, "seed": grid.seed,
             "variants": [v.name for v in grid.variants]}
    emit(table, fmt, out=out, extra=extra)
    if out is not None:
        stderr.print(f"wrote {len(table):,d} rows ({len(grid.variants):,d} variants) to {out}")
    return table
