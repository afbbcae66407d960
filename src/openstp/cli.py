"""The ``openstp`` command: a thin Typer front end over the library.

Every error caused by input (a bad plan, an unknown code, a malformed parameter) is printed as one
line per problem on stderr, with exit status 2 and no traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from openstp._version import __version__
from openstp.defaults import DEFAULT_SEED, FOOTPRINT_SETS
from openstp.errors import OpenSTPError
from openstp.output import Format, clean, emit, plain, stderr

app = typer.Typer(
    name="openstp",
    help="OpenSTP: England's Sustainability and Transformation Plans, open and testable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SetOption = Annotated[str, typer.Option("--set", help="Footprint set: " + ", ".join(
    FOOTPRINT_SETS))]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
FootprintOption = Annotated[str | None, typer.Option(
    "--footprint", help="One footprint: ONS/ODS code or name fragment.")]
OutFileOption = Annotated[Path | None, typer.Option(
    "--out", help="Write to this file instead of stdout.")]
ParamsOption = Annotated[list[Path] | None, typer.Option(
    "--params", help="YAML file overriding parameters (same shape as the tree); repeatable.")]
SeedOption = Annotated[int, typer.Option(min=0, help="Random seed (same seed, same results).")]
SetOrOverrideOption = Annotated[list[str] | None, typer.Option(
    "--set", help="Footprint set (stp2017 … icb2022), or PATH=VALUE to override one parameter; "
                  "repeatable.")]


def _financial_year(value: str | None) -> str | None:
    """A ``--year``-style option checked at the edge: 'YYYY/YY', one clear line otherwise."""
    if value is None:
        return value
    from openstp.errors import ParameterError, problem
    from openstp.plan import parse_fy

    try:
        parse_fy(value)
    except ValueError as err:
        raise ParameterError([problem("command line", str(err), field="year")]) from None
    return value


OptionalYearOption = Annotated[str | None, typer.Option(
    callback=_financial_year, help="Financial year 'YYYY/YY' (default: the horizon).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"openstp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """OpenSTP: England's Sustainability and Transformation Plans, open and testable."""


@app.command()
def footprints(
    footprint_set: SetOption = "stp2017",
    year: Annotated[int | None, typer.Option(help="Population mid-year: 2017, 2019 or 2020 "
                                                  "(default: the set's own year).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the footprints of a set with population, CCGs, councils and trusts."""
    from openstp import data

    year = year or _default_population_year(footprint_set)
    df = data.footprint_summary(footprint_set, year)
    emit(df, fmt, title=f"{len(df)} footprints ({footprint_set}), population mid-{year}",
         caption=f"England total {df['population'].sum():,d}. Sources: `openstp sources`.",
         extra={"footprint_set": footprint_set, "population_year": year,
                "england_population": int(df["population"].sum())})


@app.command()
def footprint(
    code: Annotated[str, typer.Argument(help="ONS code (E54…), ODS code (Q…) or a unique "
                                             "fragment of the name.")],
    footprint_set: SetOption = "stp2017",
    fmt: FormatOption = Format.table,
) -> None:
    """Show one footprint: its codes, region, population and organisations."""
    from openstp import data

    fp = data.resolve_footprint(code, footprint_set)
    year = _default_population_year(footprint_set)
    population = int(data.footprint_population(footprint_set, year)[fp.code])
    orgs = data.footprint_organisations(fp.code, footprint_set)
    if fmt is Format.json:
        sys.stdout.write(json.dumps({**fp.model_dump(), "population": population,
                                     "population_year": year,
                                     "organisations": orgs.to_dict(orient="records")},
                                    indent=2, default=str) + "\n")
        return
    if fmt is Format.table:
        stderr.print(f"[bold]{plain(fp.name)}[/bold]  {fp.code}  ODS {fp.ods_code or '–'}  "
                     f"{fp.region_name}  population mid-{year}: {population:,d}")
    emit(orgs, fmt, title=f"Organisations of {fp.name}")


@app.command()
def validate(
    plans: Annotated[list[Path], typer.Argument(help="Plan files (YAML) to check.")],
) -> None:
    """Check plan files against the schema, the reference data and the models' data; exit 2 on
    any problem (the same checks `openstp run` makes before it runs)."""
    from openstp.gap.checks import check_plan

    failed = False
    for path in plans:
        plan, problems = check_plan(path)
        for p in problems:
            typer.echo(clean(p), err=True)
        if problems or plan is None:
            failed = True
        else:
            stderr.print(f"[green]ok[/green] {plain(path)}: {plain(plan.name or plan.footprint)}, "
                         f"{len(plan.schemes)} schemes")
    if failed:
        raise typer.Exit(2)


@app.command()
def schema() -> None:
    """Print the JSON Schema of plan files."""
    from openstp.plan import plan_json_schema

    sys.stdout.write(json.dumps(plan_json_schema(), indent=2) + "\n")


@app.command()
def sources(fmt: FormatOption = Format.table) -> None:
    """List the built-in reference tables with their kind, sources and licence."""
    import pandas as pd

    from openstp import data

    rows = [{"table": name, "kind": t["kind"], "rows": t["rows"], "title": t["title"],
             "sources": "; ".join(dict.fromkeys(s["publisher"].split(" (")[0]
                                                 for s in t["sources"]))}
            for name, t in data.manifest()["tables"].items()]
    emit(pd.DataFrame(rows), fmt, title="Built-in reference data",
         caption=data.manifest()["licence"]["attribution"])


@app.command()
def gap(
    footprint_code: FootprintOption = None,
    set_: SetOrOverrideOption = None,
    base_year: Annotated[str, typer.Option(callback=_financial_year,
                                           help="Base financial year.")] = "2015/16",
    year: Annotated[str, typer.Option(callback=_financial_year,
                                      help="Horizon year reported.")] = "2020/21",
    funding: Annotated[str, typer.Option(help="Funding: sr2015 or flat-real.")] = "sr2015",
    real: Annotated[bool, typer.Option("--real", help="Show base-year prices, not cash.")] = False,
    params_files: ParamsOption = None,
    sensitivity: Annotated[bool, typer.Option("--sensitivity",
                                              help="One-at-a-time tornado table.")] = False,
    decompose: Annotated[bool, typer.Option("--decompose",
                                            help="Bridge: demography, growth, inflation, "
                                                 "funding.")] = False,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
) -> None:
    """The "do nothing" gap: cost minus funding per footprint, sector and year."""
    from openstp.gap.report import gap_command

    footprint_set, overrides = _split_set_option(set_ or [])
    gap_command(footprint_code=footprint_code, footprint_set=footprint_set, overrides=overrides,
                params_files=params_files or [], base_year=base_year, year=year, funding=funding,
                real=real, sensitivity=sensitivity, decompose=decompose, fmt=fmt, out=out)


@app.command()
def beds(
    plan: Annotated[Path | None, typer.Argument(help="A plan file (YAML); omit for England or "
                                                     "--footprint.")] = None,
    footprint_code: FootprintOption = None,
    set_: SetOrOverrideOption = None,
    draws: Annotated[int, typer.Option(min=1, max=100_000, help="Simulated futures.")] = 1000,
    seed: SeedOption = DEFAULT_SEED,
    target_occupancy: Annotated[float | None, typer.Option(
        min=0.5, max=0.99, help="Safe occupancy in the reference 200-bed pool (default 0.85).")
    ] = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
) -> None:
    """Beds needed against beds planned, winter occupancy and the bed-closure test."""
    from openstp.beds.report import beds_command

    footprint_set, overrides = _split_set_option(set_ or [])
    beds_command(plan_path=plan, footprint=footprint_code, footprint_set=footprint_set,
                 overrides=overrides, draws=draws, seed=seed, target_occupancy=target_occupancy,
                 fmt=fmt, out=out)


@app.command()
def access(
    plan: Annotated[Path | None, typer.Argument(help="A plan file whose site_changes to apply "
                                                     "(its footprint is the scope).")] = None,
    service: Annotated[str, typer.Option(help="ed, maternity, neonatal, stroke or "
                                              "thrombectomy.")] = "ed",
    footprint_code: FootprintOption = None,
    set_: SetOrOverrideOption = None,
    params_files: ParamsOption = None,
    close: Annotated[list[str] | None, typer.Option(
        "--close", help="Close (or downgrade) the service at this site: code, postcode or "
                        "name; repeatable.")] = None,
    open_: Annotated[list[str] | None, typer.Option(
        "--open", help="Open the service at this site of the site table; repeatable.")] = None,
    year: Annotated[str | None, typer.Option(callback=_financial_year,
                                             help="Apply plan changes in effect by this "
                                                  "financial year (default: all).")] = None,
    matrix: Annotated[Path | None, typer.Option(help="Your travel-time matrix (CSV/Parquet, "
                                                     "LSOA × site minutes).")] = None,
    sites: Annotated[Path | None, typer.Option(help="Your site table (CSV) instead of the "
                                                    "built-in one.")] = None,
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
    map_path: Annotated[Path | None, typer.Option("--map", help="Write a map: .png or "
                                                  ".html.")] = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
) -> None:
    """Access and equity: travel to a service before and after closing or opening sites."""
    from openstp.access.report import access_command

    footprint_set, overrides = _split_set_option(set_ or [])
    access_command(plan=plan, service=service, footprint=footprint_code,
                   footprint_set=footprint_set, overrides=overrides,
                   params_files=params_files or [], close=close or [], open_sites=open_ or [],
                   year=year, matrix=matrix, sites=sites, estimate_only=estimate_only,
                   sweep=sweep, rank_by=rank_by, minutes=minutes, miles=miles, lsoas=lsoas,
                   sites_list=sites_list, fit=fit, population_year=population_year,
                   map_path=map_path, fmt=fmt, out=out)


@app.command()
def run(
    plans: Annotated[list[Path] | None, typer.Argument(
        help="Plan files (YAML), one per footprint.", show_default=False)] = None,
    footprint_code: Annotated[str | None, typer.Option(
        "--footprint", help="Run one footprint's built-in illustrative plan: ONS/ODS code or "
                            "name fragment.")] = None,
    run_all: Annotated[bool, typer.Option("--all", help="Run all 44 built-in illustrative "
                                                        "plans (stp2017).")] = False,
    draws: Annotated[int, typer.Option(min=1, max=100_000,
                                       help="Random draws after the central one.")] = 10_000,
    seed: SeedOption = DEFAULT_SEED,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="PATH=VALUE: override one parameter (e.g. risk.pressure.loading=0.2); "
                      "repeatable.")] = None,
    params_files: ParamsOption = None,
    fmt: FormatOption = Format.table,
    out: Annotated[Path | None, typer.Option(
        help="Also write summary.csv, residual.csv, schemes.csv, by_type.csv and results.json "
             "to this folder.")] = None,
) -> None:
    """Monte Carlo of every scheme's delivery: the gap left and the chance a plan balances."""
    from openstp.params import parse_set_option
    from openstp.risk.report import run_command

    overrides = dict(parse_set_option(v) for v in set_ or [])
    run_command(plan_files=plans or [], footprint=footprint_code, run_all=run_all, draws=draws,
                seed=seed, fmt=fmt, out=out, overrides=overrides,
                params_files=params_files or [])


@app.command()
def workforce(
    plan: Annotated[Path | None, typer.Argument(help="A plan file (YAML); omit for England or "
                                                     "--footprint.")] = None,
    footprint_code: FootprintOption = None,
    set_: SetOrOverrideOption = None,
    draws: Annotated[int, typer.Option(min=1, max=100_000, help="Simulated futures.")] = 1000,
    seed: SeedOption = DEFAULT_SEED,
    year: OptionalYearOption = None,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
) -> None:
    """Staff required against staff expected, per group: the workforce gap and its cost."""
    from openstp.workforce.report import workforce_command

    footprint_set, overrides = _split_set_option(set_ or [])
    workforce_command(plan_path=plan, footprint=footprint_code, footprint_set=footprint_set,
                      overrides=overrides, draws=draws, seed=seed, year=year, fmt=fmt, out=out)


@app.command("social-care")
def social_care(
    plan: Annotated[Path | None, typer.Argument(help="A plan file (YAML); omit for England or "
                                                     "--footprint.")] = None,
    footprint_code: FootprintOption = None,
    set_: SetOrOverrideOption = None,
    draws: Annotated[int, typer.Option(min=1, max=100_000, help="Simulated futures.")] = 1000,
    seed: SeedOption = DEFAULT_SEED,
    year: OptionalYearOption = None,
    councils: Annotated[bool, typer.Option("--councils", help="CSV/parquet: one row per "
                                                              "council, not footprint.")] = False,
    fmt: FormatOption = Format.table,
    out: OutFileOption = None,
) -> None:
    """The adult social care gap per footprint and council, and its delayed-discharge knock-on."""
    from openstp.workforce.report import social_care_command

    footprint_set, overrides = _split_set_option(set_ or [])
    social_care_command(plan_path=plan, footprint=footprint_code, footprint_set=footprint_set,
                        overrides=overrides, draws=draws, seed=seed, year=year,
                        councils=councils, fmt=fmt, out=out)


ResultsOption = Annotated[Path | None, typer.Option(
    "--results", help="A results folder written by `openstp review --out DIR` (default: run "
                      "the national review first).")]
ReviewDrawsOption = Annotated[int | None, typer.Option(
    "--draws", min=10, max=100_000, help="Simulated futures when the review runs first "
                                         "(no --results; default: the review's own).")]


@app.command()
def report(
    results: ResultsOption = None,
    out: Annotated[Path, typer.Option(help="Folder to write the site into.")] = Path(
        "openstp-report"),
    draws: ReviewDrawsOption = None,
) -> None:
    """Write the HTML report: England's page and one page per footprint; opens offline."""
    from openstp.report.commands import report_command

    report_command(results, out, draws)


@app.command()
def export(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="Excel workbook to write.")],
    results: ResultsOption = None,
    draws: ReviewDrawsOption = None,
) -> None:
    """Write the results as an Excel workbook: assumptions, gap, schemes, beds, review…"""
    from openstp.report.commands import export_command

    export_command(results, xlsx, draws)


@app.command()
def serve(
    results: ResultsOption = None,
    plans: Annotated[Path | None, typer.Option(
        help="Folder where scenarios are saved as plan files (default: the results' plans/, "
             "or ./plans).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (local only by default).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    draws: Annotated[int, typer.Option(min=10, max=100_000, help="Simulated futures per "
                                                                  "what-if.")] = 1000,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", metavar="NAME", help="Another name the server may be reached by (the Host header), "
                               "besides localhost, 127.0.0.1, ::1 and --host; repeatable.")
                            ] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, max=64, help="What-ifs computed at once (default: one per core, at most 4); "
                            "a few more wait, the rest are answered 503.")] = None,
) -> None:
    """Serve the web app: browse the results, try "what if", save scenarios as plans."""
    from openstp.web.commands import serve_command

    serve_command(results, plans, host, port, draws, allowed_hosts=allowed_host or [],
                  workers=workers)


@app.command()
def review(
    plans_dir: Annotated[Path | None, typer.Option(
        "--plans", help="Folder of plan files (*.yaml); default: the 44 built-in plans.")] = None,
    draws: Annotated[int, typer.Option(min=1, max=100_000,
                                       help="Simulated futures for delivery risk.")] = 10_000,
    seed: SeedOption = DEFAULT_SEED,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="PATH=VALUE to override a parameter; repeatable.")] = None,
    params_files: ParamsOption = None,
    out: Annotated[Path, typer.Option(help="Results folder to write.")] = Path("openstp-results"),
    fmt: FormatOption = Format.table,
) -> None:
    """Review every plan against the published critiques: the whole chain, side by side."""
    from openstp.review.report import review_command

    _, overrides = _split_set_option(set_ or [])
    review_command(plans_dir=plans_dir, draws=draws, seed=seed, overrides=overrides,
                   params_files=params_files or [], out=out, fmt=fmt)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Old plan file, or old results folder.")],
    new: Annotated[Path, typer.Argument(help="New plan file, or new results folder.")],
    draws: Annotated[int, typer.Option(min=1, help="Simulated futures per plan.")] = 2_000,
    seed: SeedOption = DEFAULT_SEED,
    fmt: FormatOption = Format.table,
) -> None:
    """What changed between two plans — in the plan and in every figure and verdict."""
    from openstp.review.report import diff_command

    diff_command(old=old, new=new, draws=draws, seed=seed, fmt=fmt)


def _split_set_option(values: list[str]) -> tuple[str, dict[str, str]]:
    """``--set`` names a footprint set, or overrides a parameter as PATH=VALUE."""
    from openstp.errors import ParameterError, problem
    from openstp.params import parse_set_option

    sets = [v for v in values if "=" not in v]
    if len(sets) > 1:
        raise ParameterError([problem("--set", f"one footprint set at a time, got {sets}")])
    overrides = dict(parse_set_option(v) for v in values if "=" in v)
    return (sets[0] if sets else "stp2017"), overrides


def _default_population_year(footprint_set: str) -> int:
    from openstp import data

    data.table("footprints")  # fail early on a broken install
    return {"stp2017": 2017, "stp2018": 2017}.get(footprint_set, 2020)


def main() -> None:
    """Console entry point: run the app, turning input errors into clean one-line messages."""
    try:  # Typer 0.2x carries its own copy of click; older ones use click itself
        from typer._click import exceptions as click
    except ImportError:  # pragma: no cover
        from click import exceptions as click  # type: ignore[no-redef]

    try:
        code = app(standalone_mode=False)
    except click.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        code = 0
    except click.UsageError as exc:  # a bad option: one line, as for a bad file
        where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        typer.echo(f"error: {clean(exc.format_message())}{where}", err=True)
        code = 2
    except typer.Abort:
        typer.echo("aborted", err=True)
        code = 130
    except OpenSTPError as exc:
        for p in exc.problems:
            typer.echo(f"error: {clean(p)}", err=True)
        code = 2
    sys.exit(code if isinstance(code, int) else 0)
