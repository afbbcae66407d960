"""The ``openstp report`` and ``export`` commands, behind the thin Typer layer.

Each reads a results folder (``--results DIR``); without one it first runs the national review
chain into a temporary folder, so a clean install can go straight to a report.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openstp.output import plain, stderr


def _run_national(folder: Path, draws: int | None = None) -> None:
    """Run the whole review (every footprint) and write its results folder into ``folder``."""
    from openstp.review.chain import run_national  # scipy and the models: only when needed

    stderr.print("Running the national review (no --results given)…")
    run_national(**({"draws": draws} if draws else {})).write(folder)


@contextmanager
def results_folder(results: Path | None, draws: int | None = None) -> Iterator[Path]:
    """``results`` itself, or a temporary folder the review chain has just written.

    ``draws`` (simulated futures) applies only when the chain runs; None keeps its default.
    """
    if results is not None:
        yield results
        return
    with tempfile.TemporaryDirectory(prefix="openstp-results-") as tmp:
        _run_national(Path(tmp), draws)
        yield Path(tmp)


def report_command(results: Path | None, out: Path, draws: int | None = None) -> None:
    """Write the static site for England and every footprint into ``out``."""
    from openstp.report import load_results, write_site

    with results_folder(results, draws) as folder:
        loaded = load_results(folder)
        pages = write_site(loaded, out)
    stderr.print(f"Wrote {len(pages)} pages ({len(loaded.footprints())} footprints) to "
                 f"{plain(out)}; open {plain(out / 'index.html')}")


def export_command(results: Path | None, xlsx: Path, draws: int | None = None) -> None:
    """Write the Excel workbook of a results folder to ``xlsx``."""
    from openstp.report import load_results, write_workbook

    with results_folder(results, draws) as folder:
        write_workbook(load_results(folder), xlsx)
    stderr.print(f"Wrote {plain(xlsx)}")
