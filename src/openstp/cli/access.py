"""The ``access`` command: travel to a service before and after closing or opening sites."""

from __future__ import annotations

from pathlib import Path
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
    'openstp access --footprint "west york" --close RWY01 --map wy-ed.png',
    "openstp access --sweep --service maternity --footprint cornwall"))
def access(
    plan: Annotated[Path | None, typer.Argument(
        help="A plan file whose site_changes to apply (its footprint is the scope).",
        show_default=False)] = None,
    service: Annotated[str, typer.Option(help="ed, maternity, neonatal, stroke or "
                                              "thrombectomy.")] = "ed",
    footprint_code: FootprintOption = None,
    footprint_set: FootprintSetOption = None,
    param: ParamOption = None,
    params_files: ParamsOption = None,
    close: Annotated[list[str] | None, typer.Option(
        "--close", metavar="SITE", show_default=False,
        help="Close (or downgrade) the service at this site: code, postcode or name; "
             "repeatable.")] = None,
    open_: Annotated[list[str] | None, typer.Option(
        "--open", metavar="SITE", show_default=False,
        help="Open the service at this site of the site table; repeatable.")] = None,
    year: Annotated[str | None, typer.Option(
        callback=financial_year, show_default=False,
        help="Apply plan changes in effect by this financial year (default: all).")] = None,
    matrix: Annotated[Path | None, typer.Option(
        metavar="FILE", show_default=False,
        help="Your travel-time matrix (CSV/Parquet, LSOA × site minutes).")] = None,
    sites: Annotated[Path | None, typer.Option(
        metavar="FILE", show_default=False,
        help="Your site table (CSV) instead of the built-in one.")] = None,
    estimate_only: Annotated[bool, typer.Option("--estimate-only", help="Ignore the shipped "
                                                "road matrix.")] = False,
    sweep: Annotated[bool, typer.Option("--sweep", help="Rank every site by the harm its "
                                        "closure alone would do.")] = False,
    rank_by: Annotated[str, typer.Option(help="Sweep order: beyond, deaths or minutes.")
                       ] = "beyond",
    minutes: Annotated[str, typer.Option(help="Minute thresholds.")] = "30,45,60",
    miles: Annotated[str, typer.Option(help="Straight-line mile thresholds.")] = "10,20,50",
    lsoas: Annotated[bool, typer.Option("--lsoas", help="One row per LSOA.")] = False,
    sites_list: Annotated[bool, typer.Option("--sites-list", help="List the service's sites."
                                             )] = False,
    fit: Annotated[bool, typer.Option("--fit", help="Refit the travel estimate against the "
                                      "road matrix and report the fit.")] = False,
    population_year: Annotated[int, typer.Option(help="Population mid-year.")] = 2017,
    map_path: Annotated[Path | None, typer.Option(
        "--map", metavar="FILE", show_default=False,
        help="Write a map: .png or .html.")] = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
    old_set: OldSetOption = None,
) -> None:
    """Access and equity: travel to a service before and after closing or opening sites."""
    from openstp.access.report import access_command

    check_output(fmt, out)
    footprint_set, overrides = scope(footprint_set, param, old_set)
    access_command(plan=plan, service=service, footprint=footprint_code,
                   footprint_set=footprint_set, overrides=overrides,
                   params_files=params_files or [], close=close or [], open_sites=open_ or [],
                   year=year, matrix=matrix, sites=sites, estimate_only=estimate_only,
                   sweep=sweep, rank_by=rank_by, minutes=minutes, miles=miles, lsoas=lsoas,
                   sites_list=sites_list, fit=fit, population_year=population_year,
                   map_path=map_path, fmt=fmt, out=out)
