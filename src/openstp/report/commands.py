"""The ``openstp report`` and ``export`` commands, behind the thin Typer layer.

Each reads a results folder (``--results DIR``); without one it first runs the national review
chain into a temporary folder, so a clean install can go straight to a report. Progress (the
review's stages, then each page written) goes to stderr unless ``quiet``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from openstp.defaults import DEFAULT_SEED, RISK_DRAWS
from openstp.output import plain, stderr


def _run_national(folder: Path, draws: int, quiet: bool) -> None:
    """Run the whole review (every footprint) and write its results folder into ``folder``."""
    from openstp.review.report import StageClock, run_with_progress  # the models: when needed

    if not quiet:
        stderr.print("Running the national review (no --results given)…")
    clock = StageClock()
    run = run_with_progress(None, draws, DEFAULT_SEED, {}, [], clock, quiet)
    run.write(folder)
    if not quiet:
        stderr.print(f"Review: {clock.line()}", highlight=False)


@contextmanager
def results_folder(results: Path | None, draws: int = RISK_DRAWS,
                   quiet: bool = False) -> Iterator[Path]:
    """``results`` itself, or a temporary folder the review chain has just written.

    ``draws`` (simulated futures) applies only when the chain runs.
    """
    if results is not None:
        yield results
        return
    with tempfile.TemporaryDirectory(prefix="openstp-results-") as tmp:
        _run_national(Path(tmp), draws, quiet)
        yield Path(tmp)


def report_command(results: Path | None, out: Path, draws: int = RISK_DRAWS, *,
                   quiet: bool = False) -> None:
    """Write the static site for England and every footprint into ``out``, a bar per page."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from openstp.report import load_results, write_site

    with results_folder(results, draws, quiet) as folder:
        loaded = load_results(folder)
        with Progress(TextColumn("writing {task.description:<28}"), BarColumn(),
                      MofNCompleteColumn(), console=stderr, transient=True,
                      disable=quiet or not stderr.is_terminal) as bar:
            task = bar.add_task("England", total=len(loaded.footprints()))
            started = []

            def page(name: str) -> None:  # called as each footprint's page is begun
                bar.update(task, description=name[:28], completed=len(started))
                started.append(name)

            pages = write_site(loaded, out, progress=page)
    if not quiet:
        stderr.print(f"Wrote {len(pages)} pages ({len(loaded.footprints())} footprints) to "
                     f"{plain(out)}; open {plain(out / 'index.html')}")


def export_command(results: Path | None, xlsx: Path, draws: int = RISK_DRAWS, *,
                   quiet: bool = False) -> None:
    """Write the Excel workbook of a results folder to ``xlsx``."""
    from openstp.report import load_results, write_workbook

    with results_folder(results, draws, quiet) as folder:
        write_workbook(load_results(folder), xlsx)
    if not quiet:
        stderr.print(f"Wrote {plain(xlsx)}")
