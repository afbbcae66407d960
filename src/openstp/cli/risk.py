"""The ``run`` command: a Monte Carlo of every scheme's delivery."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.cli.options import (
    RISK_KIND,
    OldSetOption,
    ParamOption,
    ParamsOption,
    SeedOption,
    TextFormat,
    TextFormatOption,
    draws_option,
    param_overrides,
)
from openstp.defaults import DEFAULT_SEED, RISK_DRAWS
from openstp.output import Format


@app.command(epilog=examples(
    "openstp run --all --draws 2000 --param risk.pressure.loading=0.2",
    "openstp run examples/west_yorkshire_example.yaml --out wy-risk"))
def run(
    plans: Annotated[list[Path] | None, typer.Argument(
        help="Plan files (YAML), one per footprint.", show_default=False)] = None,
    footprint_code: Annotated[str | None, typer.Option(
        "--footprint", metavar="CODE", show_default=False,
        help="Run one footprint's built-in illustrative plan: ONS/ODS code or name "
             "fragment.")] = None,
    run_all: Annotated[bool, typer.Option("--all", help="Run all 44 built-in illustrative "
                                                        "plans (stp2017).")] = False,
    draws: Annotated[int, draws_option(RISK_DRAWS, RISK_KIND)] = RISK_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    param: ParamOption = None,
    params_files: ParamsOption = None,
    fmt: TextFormatOption = TextFormat.table,
    out: Annotated[Path | None, typer.Option(
        metavar="DIR", show_default=False,
        help="Also write summary.csv, residual.csv, schemes.csv, by_type.csv and results.json "
             "to this folder.")] = None,
    old_set: OldSetOption = None,
) -> None:
    """Monte Carlo of every scheme's delivery: the gap left and the chance a plan balances."""
    from openstp.risk.report import run_command

    run_command(plan_files=plans or [], footprint=footprint_code, run_all=run_all, draws=draws,
                seed=seed, fmt=Format(fmt), out=out, overrides=param_overrides(param, old_set),
                params_files=params_files or [])
