"""The risk commands: ``run`` (a Monte Carlo of every scheme's delivery), ``what-it-takes``,
``sensitivity`` and ``sweep`` (the last three as Dask tasks)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.cli.options import (
    RISK_KIND,
    FootprintSetOption,
    FormatOption,
    OldSetOption,
    OutFileOption,
    ParamOption,
    ParamsOption,
    SeedOption,
    TextFormat,
    TextFormatOption,
    draws_option,
    param_overrides,
    scope,
)
from openstp.defaults import (
    DEFAULT_SEED,
    RISK_DRAWS,
    SOBOL_DRAWS,
    SWEEP_DRAWS,
    TAKES_DRAWS,
)
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
    run_all: Annotated[bool, typer.Option("--all", help="Run all the built-in illustrative "
                                                        "plans of the footprint set (the 44 "
                                                        "of stp2017 by default).")] = False,
    footprint_set: FootprintSetOption = None,
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

    chosen, overrides = scope(footprint_set, param, old_set)
    run_command(plan_files=plans or [], footprint=footprint_code, run_all=run_all, draws=draws,
                seed=seed, fmt=Format(fmt), out=out, overrides=overrides,
                params_files=params_files or [],
                footprint_set=chosen if footprint_set or old_set else None)


SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", metavar="ADDRESS", show_default=False,
    help="Run the tasks on this Dask scheduler (e.g. tcp://10.0.0.5:8786) instead of a local "
         "cluster.")]
WorkersOption = Annotated[int, typer.Option(
    "--workers", min=0, help="Processes of the local Dask cluster (0: run the tasks here, "
                             "one after another).")]
PlansOrBuiltinArgument = Annotated[list[Path] | None, typer.Argument(
    help="Plan files (YAML), one per footprint; default: all 44 built-in illustrative plans.",
    show_default=False)]
BuiltinFootprintOption = Annotated[str | None, typer.Option(
    "--footprint", metavar="CODE", show_default=False,
    help="One footprint's built-in illustrative plan: ONS/ODS code or name fragment.")]


@app.command("what-it-takes", epilog=examples(
    "openstp what-it-takes --target 0.5 --target 0.8 --draws 200 --format json --out takes.json",
    "openstp what-it-takes --footprint 'west york' --workers 0"))
def what_it_takes(
    plans: PlansOrBuiltinArgument = None,
    footprint_code: BuiltinFootprintOption = None,
    target: Annotated[list[float] | None, typer.Option(
        "--target", metavar="P", show_default=False,
        help="P(balance) to reach: --target 0.5 0.8, or repeat the option (default 0.5 and "
             "0.8).")] = None,
    draws: Annotated[int, draws_option(TAKES_DRAWS, RISK_KIND)] = TAKES_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    param: ParamOption = None,
    params_files: ParamsOption = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = 2,
) -> None:
    """What would it take to balance: extra funding, extra years or bigger savings, per
    footprint and for England, at which P(balance) reaches each target."""
    from openstp.risk.takes_report import takes_command
    from openstp.risk.tasks import Where

    takes_command(plan_files=plans or [], footprint=footprint_code, draws=draws, seed=seed,
                  targets=target or [0.5, 0.8], fmt=fmt, out=out,
                  overrides=param_overrides(param), params_files=params_files or [],
                  where=Where(scheduler=scheduler, workers=workers))


@app.command(epilog=examples(
    "openstp sensitivity --footprint 'west york' --samples 8 --format json --out sobol.json",
    "openstp sensitivity --samples 8 --draws 20 --workers 0"))
def sensitivity(
    plans: PlansOrBuiltinArgument = None,
    footprint_code: BuiltinFootprintOption = None,
    samples: Annotated[int, typer.Option(
        metavar="N", help="Sobol base samples, a power of 2: N × (parameters + 2) model "
                          "runs.")] = 64,
    draws: Annotated[int, draws_option(SOBOL_DRAWS, "each Sobol sample")] = SOBOL_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    param: ParamOption = None,
    params_files: ParamsOption = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = 2,
) -> None:
    """Which assumptions matter: Sobol indices of England's residual gap and each
    footprint's P(balance) over every ranged parameter, ranked by total index."""
    from openstp.risk.sobol_report import sensitivity_command
    from openstp.risk.tasks import Where

    sensitivity_command(plan_files=plans or [], footprint=footprint_code, samples=samples,
                        draws=draws, seed=seed, fmt=fmt, out=out,
                        overrides=param_overrides(param),
                        params_files=params_files or [],
                        where=Where(scheduler=scheduler, workers=workers))


@app.command(epilog=examples(
    "openstp sweep examples/sweep_grid.yaml --out sweep.parquet",
    "openstp sweep examples/sweep_grid.yaml --workers 0 --format csv > sweep.csv"))
def sweep(
    grid: Annotated[Path, typer.Argument(
        help="Grid file (YAML): variants of parameters, savings scale and plans.",
        show_default=False)],
    plans: Annotated[list[Path] | None, typer.Option(
        "--plan", metavar="PLAN.yaml", show_default=False,
        help="Base plan files (repeat); default: all 44 built-in illustrative plans.")] = None,
    draws: Annotated[int, draws_option(SWEEP_DRAWS, "each variant",
                                       note="; a grid file's own draws and seed come "
                                            "first")] = SWEEP_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    param: ParamOption = None,
    params_files: ParamsOption = None,
    fmt: FormatOption = Format.parquet,
    out: OutFileOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = 2,
) -> None:
    """Run a scenario grid as Dask tasks: one long table of variant × footprint × measure."""
    from openstp.risk.sweep_report import sweep_command
    from openstp.risk.tasks import Where

    sweep_command(grid_file=grid, plan_files=plans or [], draws=draws, seed=seed, fmt=fmt,
                  out=out, overrides=param_overrides(param),
                  params_files=params_files or [],
                  where=Where(scheduler=scheduler, workers=workers))
