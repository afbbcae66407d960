"""Options the commands share, and the checks made on them before any model runs.

``--footprint-set NAME`` picks a set of footprints and ``--param PATH=VALUE`` overrides one
parameter; the old ``--set``, which meant either, still works with a one-line note on stderr.
Nothing here imports pandas, numpy or the models, so ``openstp --help`` stays fast.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from openstp.defaults import FOOTPRINT_SETS
from openstp.errors import ParameterError, problem
from openstp.output import Format

DEFAULT_SET = FOOTPRINT_SETS[0]
RISK_KIND = "delivery risk"
CAPACITY_KIND = "beds, workforce and social care"


class TextFormat(StrEnum):
    """Output formats of the commands that write only to stdout (parquet needs a file)."""

    table = "table"
    csv = "csv"
    json = "json"


def _footprint_set(value: str | None) -> str | None:
    """``--footprint-set`` checked at the edge: one clear line naming the sets allowed."""
    return value if value is None else check_footprint_set(value, "--footprint-set")


def financial_year(value: str | None) -> str | None:
    """A ``--year``-style option checked at the edge: 'YYYY/YY', one clear line otherwise."""
    if value is None:
        return value
    from openstp.plan import parse_fy

    try:
        parse_fy(value)
    except ValueError as err:
        raise ParameterError([problem("command line", str(err), field="year")]) from None
    return value


FootprintSetOption = Annotated[str | None, typer.Option(
    "--footprint-set", metavar="NAME", callback=_footprint_set, show_default=False,
    help=f"Footprint set: {', '.join(FOOTPRINT_SETS)} (default: {DEFAULT_SET}).")]
ParamOption = Annotated[list[str] | None, typer.Option(
    "--param", metavar="PATH=VALUE", show_default=False,
    help="Override one parameter by its path, e.g. gap.growth.non_demographic.acute=0.02; "
         "repeatable.")]
OldSetOption = Annotated[list[str] | None, typer.Option(
    "--set", hidden=True, help="Deprecated: --footprint-set NAME or --param PATH=VALUE.")]
ParamsOption = Annotated[list[Path] | None, typer.Option(
    "--params", metavar="FILE", show_default=False,
    help="YAML file overriding parameters (same shape as the tree); repeatable.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format (parquet "
                                                                      "needs --out).")]
TextFormatOption = Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")]
FootprintOption = Annotated[str | None, typer.Option(
    "--footprint", metavar="CODE", show_default=False,
    help="One footprint: ONS/ODS code or name fragment.")]
OutFileOption = Annotated[Path | None, typer.Option(
    "--out", metavar="FILE", show_default=False,
    help="Write csv, json or parquet to this file instead of stdout.")]
SeedOption = Annotated[int, typer.Option(min=0, help="Random seed (same seed, same results).")]
YearOption = Annotated[str | None, typer.Option(
    callback=financial_year, show_default=False,
    help="Financial year 'YYYY/YY' (default: the horizon).")]
QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", help="No progress bars or timings on stderr (errors still print).")]


def check_footprint_set(value: str, option: str) -> str:
    """``value`` if it names a footprint set, else a one-line error naming the allowed sets."""
    if value not in FOOTPRINT_SETS:
        raise ParameterError([problem(option, f"unknown footprint set {value!r}; allowed: "
                                      f"{', '.join(FOOTPRINT_SETS)}")])
    return value


def _deprecated(old: list[str] | None, instead: str) -> list[str]:
    if old:
        typer.echo(f"note: --set is deprecated; use {instead}", err=True)
    return old or []


def overrides(values: list[str], option: str) -> dict[str, float]:
    """``PATH=VALUE`` options as ``{path: number}``, checked against the parameter tree (known
    path, bounds); every problem names ``option``, as the user typed it."""
    if not values:
        return {}
    from openstp.params import builtin_parameters, parse_set_option

    try:
        found = dict(parse_set_option(v) for v in values)
    except ParameterError as err:
        raise ParameterError([replace(p, file=option) for p in err.problems]) from None
    builtin_parameters().with_overrides(found, source=option)
    return found


def scope(footprint_set: str | None, params: list[str] | None, old: list[str] | None
          ) -> tuple[str, dict[str, float]]:
    """The footprint set and parameter overrides asked for, the old ``--set`` included."""
    legacy = _deprecated(old, "--footprint-set NAME or --param PATH=VALUE")
    sets = [check_footprint_set(v, "--set") for v in legacy if "=" not in v]
    sets = [*([footprint_set] if footprint_set else []), *sets]
    if len(sets) > 1:
        raise ParameterError([problem("--footprint-set",
                                      f"one footprint set at a time, got {', '.join(sets)}")])
    found = overrides(params or [], "--param")
    found.update(overrides([v for v in legacy if "=" in v], "--set"))
    return (sets[0] if sets else DEFAULT_SET), found


def footprint_set_only(footprint_set: str | None, old: list[str] | None) -> str:
    """The footprint set of a listing command (``--footprint-set``, or the old ``--set``)."""
    legacy = _deprecated(old, "--footprint-set NAME")
    sets = [*([footprint_set] if footprint_set else []),
            *(check_footprint_set(v, "--set") for v in legacy)]
    if len(sets) > 1:
        raise ParameterError([problem("--footprint-set",
                                      f"one footprint set at a time, got {', '.join(sets)}")])
    return sets[0] if sets else DEFAULT_SET


def param_overrides(params: list[str] | None) -> dict[str, float]:
    """Parameter overrides of a command without a footprint set (``--param``)."""
    return overrides(params or [], "--param")


def check_output(fmt: Format, out: Path | None) -> None:
    """Parquet is a file format and a table is for the terminal: refuse both mismatches."""
    if fmt is Format.parquet and out is None:
        raise ParameterError([problem("--format", "parquet is written to a file: add --out FILE, "
                                      "or use --format csv or json for stdout")])
    if fmt is Format.table and out is not None:
        raise ParameterError([problem("--out", "a table is for the terminal: add --format csv, "
                                      "json or parquet to write a file")])


def draws_option(default: int, kind: str, minimum: int = 1, note: str = "") -> object:
    """A ``--draws`` option whose help states the default of its kind of command
    (``openstp.defaults``)."""
    return typer.Option("--draws", min=minimum, max=100_000, show_default=False,
                        help=f"Simulated futures (default: {default:,} for {kind}){note}.")
