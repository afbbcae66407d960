"""The ``gap`` command: the do-nothing gap per footprint, sector and year."""

from __future__ import annotations

from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.cli.options import (
    FootprintOption,
    FootprintSetOption,
    FormatOption,
    OldSetOption,
    OutFileOption,
    ParamOption,
    ParamsOption,
    check_output,
    financial_year,
    scope,
)
from openstp.output import Format


@app.command(epilog=examples(
    "openstp gap --param gap.growth.non_demographic.acute=0.02",
    "openstp gap --bridge --basis organisational --format csv --out bridge.csv"))
def gap(
    footprint_code: FootprintOption = None,
    footprint_set: FootprintSetOption = None,
    base_year: Annotated[str, typer.Option(callback=financial_year,
                                           help="Base financial year.")] = "2015/16",
    year: Annotated[str, typer.Option(callback=financial_year,
                                      help="Horizon year reported.")] = "2020/21",
    funding: Annotated[str, typer.Option(help="Funding: sr2015 or flat-real.")] = "sr2015",
    real: Annotated[bool, typer.Option("--real", help="Show base-year prices, not cash.")] = False,
    param: ParamOption = None,
    params_files: ParamsOption = None,
    sensitivity: Annotated[bool, typer.Option("--sensitivity",
                                              help="One-at-a-time tornado table.")] = False,
    decompose: Annotated[bool, typer.Option("--decompose",
                                            help="Bridge: demography, growth, inflation, "
                                                 "funding.")] = False,
    basis: Annotated[str, typer.Option(help="Where the money flows: resident (spend follows "
                                            "the people living in a footprint) or "
                                            "organisational (acute and specialised spend "
                                            "follows its trusts).")] = "resident",
    bridge: Annotated[bool, typer.Option("--bridge",
                                         help="From a balanced start to the template "
                                              "(do-nothing) and do-minimum gaps.")] = False,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
    old_set: OldSetOption = None,
) -> None:
    """The "do nothing" gap: cost minus funding per footprint, sector and year."""
    from openstp.gap.report import gap_command

    check_output(fmt, out)
    footprint_set, overrides = scope(footprint_set, param, old_set)
    gap_command(footprint_code=footprint_code, footprint_set=footprint_set, overrides=overrides,
                params_files=params_files or [], base_year=base_year, year=year, funding=funding,
                real=real, sensitivity=sensitivity, decompose=decompose, fmt=fmt, out=out,
                basis=basis, bridge=bridge)
