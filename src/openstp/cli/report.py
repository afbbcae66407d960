"""The ``report`` and ``export`` commands: the HTML report and the Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openstp.cli.app import app, examples
from openstp.cli.options import RISK_KIND, QuietOption, draws_option
from openstp.defaults import RISK_DRAWS

ResultsOption = Annotated[Path | None, typer.Option(
    "--results", metavar="DIR", show_default=False,
    help="A results folder written by `openstp review --out DIR` (default: run the national "
         "review first).")]
ReviewDrawsOption = Annotated[int, draws_option(
    RISK_DRAWS, RISK_KIND, minimum=10, note=", when the review runs first (no --results)")]


@app.command(epilog=examples("openstp report --results quick-results --out site",
                             "openstp report --draws 200 --out site --quiet"))
def report(
    results: ResultsOption = None,
    out: Annotated[Path, typer.Option(metavar="DIR", help="Folder to write the site into.")
                   ] = Path("openstp-report"),
    draws: ReviewDrawsOption = RISK_DRAWS,
    quiet: QuietOption = False,
) -> None:
    """Write the HTML report: England's page and one page per footprint; opens offline."""
    from openstp.report.commands import report_command

    report_command(results, out, draws, quiet=quiet)


@app.command(epilog=examples("openstp export --results quick-results --xlsx results.xlsx",
                             "openstp export --draws 200 --xlsx results.xlsx --quiet"))
def export(
    xlsx: Annotated[Path, typer.Option("--xlsx", metavar="FILE",
                                       help="Excel workbook to write.")],
    results: ResultsOption = None,
    draws: ReviewDrawsOption = RISK_DRAWS,
    quiet: QuietOption = False,
) -> None:
    """Write the results as an Excel workbook: assumptions, gap, schemes, beds, review…"""
    from openstp.report.commands import export_command

    export_command(results, xlsx, draws, quiet=quiet)
