"""The ``beds`` command: beds needed against beds planned."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.cli.options import (
    CAPACITY_KIND,
    FootprintOption,
    FootprintSetOption,
    FormatOption,
    OldSetOption,
    OutFileOption,
    ParamOption,
    SeedOption,
    check_output,
    draws_option,
    scope,
)
from openstp.defaults import CAPACITY_DRAWS, DEFAULT_SEED
from openstp.output import Format


@app.command(epilog=examples(
    'openstp beds --footprint "west york"',
    "openstp beds examples/west_yorkshire_example.yaml --target-occupancy 0.9"))
def beds(
    plan: Annotated[Path | None, typer.Argument(help="A plan file (YAML); omit for England or "
                                                     "--footprint.", show_default=False)] = None,
    footprint_code: FootprintOption = None,
    footprint_set: FootprintSetOption = None,
    param: ParamOption = None,
    draws: Annotated[int, draws_option(CAPACITY_DRAWS, CAPACITY_KIND)] = CAPACITY_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    target_occupancy: Annotated[float | None, typer.Option(
        min=0.5, max=0.99, show_default=False,
        help="Safe occupancy in the reference 200-bed pool (default: 0.85).")] = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
    old_set: OldSetOption = None,
) -> None:
    """Beds needed against beds planned, winter occupancy and the bed-closure test."""
    from openstp.beds.report import beds_command

    check_output(fmt, out)
    footprint_set, overrides = scope(footprint_set, param, old_set)
    beds_command(plan_path=plan, footprint=footprint_code, footprint_set=footprint_set,
                 overrides=overrides, draws=draws, seed=seed, target_occupancy=target_occupancy,
                 fmt=fmt, out=out)
