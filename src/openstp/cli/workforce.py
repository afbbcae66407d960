"""The ``workforce`` and ``social-care`` commands: staff and adult social care gaps."""

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
    YearOption,
    check_output,
    draws_option,
    scope,
)
from openstp.defaults import CAPACITY_DRAWS, DEFAULT_SEED
from openstp.output import Format

PlanArgument = Annotated[Path | None, typer.Argument(
    help="A plan file (YAML); omit for England or --footprint.", show_default=False)]
DrawsOption = Annotated[int, draws_option(CAPACITY_DRAWS, CAPACITY_KIND)]


@app.command(epilog=examples(
    'openstp workforce --footprint "west york" --year 2018/19',
    "openstp workforce examples/west_yorkshire_example.yaml --format json"))
def workforce(
    plan: PlanArgument = None,
    footprint_code: FootprintOption = None,
    footprint_set: FootprintSetOption = None,
    param: ParamOption = None,
    draws: DrawsOption = CAPACITY_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    year: YearOption = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
    old_set: OldSetOption = None,
) -> None:
    """Staff required against staff expected, per group: the workforce gap and its cost."""
    from openstp.workforce.report import workforce_command

    check_output(fmt, out)
    footprint_set, overrides = scope(footprint_set, param, old_set)
    workforce_command(plan_path=plan, footprint=footprint_code, footprint_set=footprint_set,
                      overrides=overrides, draws=draws, seed=seed, year=year, fmt=fmt, out=out)


@app.command("social-care", epilog=examples(
    "openstp social-care --footprint cornwall",
    "openstp social-care --councils --format csv --out councils.csv"))
def social_care(
    plan: PlanArgument = None,
    footprint_code: FootprintOption = None,
    footprint_set: FootprintSetOption = None,
    param: ParamOption = None,
    draws: DrawsOption = CAPACITY_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    year: YearOption = None,
    councils: Annotated[bool, typer.Option("--councils", help="CSV/parquet: one row per "
                                                              "council, not footprint.")] = False,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
    old_set: OldSetOption = None,
) -> None:
    """The adult social care gap per footprint and council, and its delayed-discharge knock-on."""
    from openstp.workforce.report import social_care_command

    check_output(fmt, out)
    footprint_set, overrides = scope(footprint_set, param, old_set)
    social_care_command(plan_path=plan, footprint=footprint_code, footprint_set=footprint_set,
                        overrides=overrides, draws=draws, seed=seed, year=year,
                        councils=councils, fmt=fmt, out=out)
