"""Commands over the built-in reference data: ``footprints``, ``footprint``, ``sources``."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from openstp.cli.app import app, examples
from openstp.cli.options import (
    FootprintSetOption,
    OldSetOption,
    TextFormat,
    TextFormatOption,
    footprint_set_only,
)
from openstp.output import Format, emit, plain


def default_population_year(footprint_set: str) -> int:
    """The population mid-year a set is shown with: 2017 for the STPs of 2017-18, else 2020."""
    from openstp import data

    data.table("footprints")  # fail early on a broken install
    return {"stp2017": 2017, "stp2018": 2017}.get(footprint_set, 2020)


@app.command(epilog=examples("openstp footprints --footprint-set icb2026",
                             "openstp footprints --year 2020 --format csv"))
def footprints(
    footprint_set: FootprintSetOption = None,
    year: Annotated[int | None, typer.Option(
        show_default=False, help="Population mid-year: 2017, 2019 or 2020 (default: the set's "
                                 "own year).")] = None,
    fmt: TextFormatOption = TextFormat.table,
    old_set: OldSetOption = None,
) -> None:
    """List the footprints of a set with population, CCGs (ICB sets: sub-ICB locations),
    councils and trusts."""
    from openstp import data

    footprint_set = footprint_set_only(footprint_set, old_set)
    year = year or default_population_year(footprint_set)
    df = data.footprint_summary(footprint_set, year)
    emit(df, Format(fmt), title=f"{len(df)} footprints ({footprint_set}), population mid-{year}",
         caption=f"England total {df['population'].sum():,d}. Sources: `openstp sources`.",
         extra={"footprint_set": footprint_set, "population_year": year,
                "england_population": int(df["population"].sum())})


@app.command(epilog=examples('openstp footprint "west york"',
                             "openstp footprint T04 --footprint-set icb2026 --format json"))
def footprint(
    code: Annotated[str, typer.Argument(help="ONS code (E54…), ODS code (Q…; 2026 ICBs: QE1 … "
                                             "T07) or a unique fragment of the name.")],
    footprint_set: FootprintSetOption = None,
    fmt: TextFormatOption = TextFormat.table,
    old_set: OldSetOption = None,
) -> None:
    """Show one footprint: its codes, region, population and organisations (all on stdout)."""
    from openstp import data

    footprint_set = footprint_set_only(footprint_set, old_set)
    fp = data.resolve_footprint(code, footprint_set)
    year = default_population_year(footprint_set)
    population = int(data.footprint_population(footprint_set, year)[fp.code])
    orgs = data.footprint_organisations(fp.code, footprint_set)
    if fmt is TextFormat.json:
        sys.stdout.write(json.dumps({**fp.model_dump(), "population": population,
                                     "population_year": year,
                                     "organisations": orgs.to_dict(orient="records")},
                                    indent=2, default=str) + "\n")
        return
    if fmt is TextFormat.table:
        Console(highlight=False).print(
            f"[bold]{plain(fp.name)}[/bold]  {fp.code}  ODS {plain(fp.ods_code or '–')}  "
            f"{plain(fp.region_name)}  population mid-{year}: {population:,d}", soft_wrap=True)
    emit(orgs, Format(fmt), title=f"Organisations of {fp.name}")


@app.command(epilog=examples("openstp sources", "openstp sources --format json"))
def sources(fmt: TextFormatOption = TextFormat.table) -> None:
    """List the built-in reference tables with their kind, sources and licence."""
    import pandas as pd

    from openstp import data

    rows = [{"table": name, "kind": t["kind"], "rows": t["rows"], "title": t["title"],
             "sources": "; ".join(dict.fromkeys(s["publisher"].split(" (")[0]
                                                 for s in t["sources"]))}
            for name, t in data.manifest()["tables"].items()]
    emit(pd.DataFrame(rows), Format(fmt), title="Built-in reference data",
         caption=data.manifest()["licence"]["attribution"])
