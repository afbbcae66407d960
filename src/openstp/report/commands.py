"""The ``openstp report`` and ``export`` commands, behind the thin Typer layer.

Each reads a results folder (``--results DIR``); without one it first runs the national review
chain into a temporary folder, so a clean install can go straight to a report.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openstp.errors import InputFileError, problem
from openstp.output import stderr

NO_CHAIN = ("the national review chain is not available in this version of OpenSTP; pass "
            "--results DIR (a folder written by `openstp review --out DIR`)")


def _run_national(folder: Path) -> None:
    """Run the whole review (every footprint) and write its results folder into ``folder``."""
    try:
        chain = importlib.import_module("openstp.review.chain")
    except ModuleNotFoundError as err:
        if err.name != "openstp.review.chain":
            raise
        chain = None
    run = getattr(chain, "run_national", None)
    if run is None:
        raise InputFileError([problem("--results", NO_CHAIN)])
    stderr.print("Running the national review (no --results given)…")
    run().write(folder)


@contextmanager
def results_folder(results: Path | None) -> Iterator[Path]:
    """``results`` itself, or a temporary folder the review chain has just written."""
    if results is not None:
        yield results
        return
    with tempfile.TemporaryDirectory(prefix="openstp-results-") as tmp:
        _run_national(Path(tmp))
        yield Path(tmp)


def report_command(results: Path | None, out: Path) -> None:
    """Write the static site for England and every footprint into ``out``."""
    from openstp.report import load_results, write_site

    with results_folder(results) as folder:
        loaded = load_results(folder)
        pages = write_site(loaded, out)
    stderr.print(f"Wrote {len(pages)} pages ({len(loaded.footprints())} footprints) to {out}; "
                 f"open {out / 'index.html'}")


def export_command(results: Path | None, xlsx: Path) -> None:
    """Write the Excel workbook of a results folder to ``xlsx``."""
    from openstp.report import load_results, write_workbook

    with results_folder(results) as folder:
        write_workbook(load_results(folder), xlsx)
    stderr.print(f"Wrote {xlsx}")
