"""The ``review`` and ``diff`` commands: every plan judged, and what changed between two."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.cli.options import (
    RISK_KIND,
    FootprintSetOption,
    OldSetOption,
    ParamOption,
    ParamsOption,
    QuietOption,
    SeedOption,
    TextFormat,
    TextFormatOption,
    draws_option,
    scope,
)
from openstp.defaults import CAPACITY_DRAWS, DEFAULT_SEED, DIFF_DRAWS, RISK_DRAWS
from openstp.output import Format


@app.command(epilog=examples(
    "openstp review --draws 200 --out quick-results",
    "openstp review --draws 200 --param risk.pressure.loading=0.2 --out scenario"))
def review(
    plans_dir: Annotated[Path | None, typer.Option(
        "--plans", metavar="DIR", show_default=False,
        help="Folder of plan files (*.yaml) (default: the built-in plans of the footprint "
             "set).")] = None,
    footprint_set: FootprintSetOption = None,
    draws: Annotated[int, draws_option(
        RISK_DRAWS, RISK_KIND, note=f"; the first {CAPACITY_DRAWS:,} also run beds and "
                                    "workforce")] = RISK_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    param: ParamOption = None,
    params_files: ParamsOption = None,
    out: Annotated[Path, typer.Option(metavar="DIR", help="Results folder to write.")] = Path(
        "openstp-results"),
    fmt: TextFormatOption = TextFormat.table,
    quiet: QuietOption = False,
    basis: Annotated[str, typer.Option(help="The do-nothing gap's basis: resident, or "
                                            "organisational to compare with the STPs' own "
                                            "figures (acute and specialised spend follows the "
                                            "trusts).")] = "resident",
    old_set: OldSetOption = None,
    sensitivity: Annotated[int, typer.Option(
        "--sensitivity", metavar="N", min=0,
        help="Also Sobol indices of England's residual gap, N base samples (a power of 2; "
             "0: none), for the report's chart and the workbook's sheet.")] = 0,
) -> None:
    """Review every plan against the published critiques: the whole chain, side by side."""
    from openstp.review.report import review_command

    chosen, overrides = scope(footprint_set, param, old_set)
    review_command(plans_dir=plans_dir, draws=draws, seed=seed, overrides=overrides,
                   params_files=params_files or [], out=out, fmt=Format(fmt), quiet=quiet,
                   basis=basis, footprint_set=chosen if footprint_set or old_set else None,
                   sensitivity_samples=sensitivity)


@app.command(epilog=examples(
    "openstp diff src/openstp/plan/builtin/E54000005.yaml examples/west_yorkshire_example.yaml",
    "openstp diff quick-results scenario"))
def diff(
    old: Annotated[Path, typer.Argument(help="Old plan file, or old results folder.")],
    new: Annotated[Path, typer.Argument(help="New plan file, or new results folder.")],
    draws: Annotated[int, draws_option(DIFF_DRAWS, "each plan of a diff")] = DIFF_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    fmt: TextFormatOption = TextFormat.table,
) -> None:
    """What changed between two plans — in the plan and in every figure and verdict."""
    from openstp.review.report import diff_command

    diff_command(old=old, new=new, draws=draws, seed=seed, fmt=Format(fmt))
