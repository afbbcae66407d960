"""Time ``openstp report`` on a results folder: the whole command, then the site and the workbook.

Run:  python benchmarks/bench_report.py [--results DIR] [--draws 1000] [--repeat 3]

Without --results, ``openstp review --draws N --out DIR`` writes a folder first (not timed). The
command is timed as a user runs it (a fresh process, imports included); the site (pages, charts,
CSVs, assets) and the workbook are then timed apart, in this process. Every run writes into a new
folder. Prints the best and every run, in seconds, and the number of pages and charts written.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import timed

from openstp.report import load_results, write_site, write_workbook


def review(folder: Path, draws: int) -> None:
    """Write a results folder with the national review, as ``openstp review`` does."""
    subprocess.run([sys.executable, "-m", "openstp", "review", "--draws", str(draws), "--out",
                    str(folder)], check=True, capture_output=True)


def line(name: str, seconds: list[float]) -> str:
    runs = " ".join(f"{s:.2f}" for s in seconds)
    return f"  {name:<10} best {min(seconds):6.2f} s   (runs: {runs})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=Path, help="results folder (default: review first)")
    parser.add_argument("--draws", type=int, default=1000, help="draws of the review run first")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        results = args.results
        if results is None:
            results = Path(tmp) / "results"
            print(f"writing a results folder: openstp review --draws {args.draws} …")
            review(results, args.draws)
        runs = iter(range(3 * args.repeat))  # every run writes into a new folder

        def report() -> None:
            out = Path(tmp) / f"report-{next(runs)}"
            subprocess.run([sys.executable, "-m", "openstp", "report", "--results",
                            str(results), "--out", str(out)], check=True, capture_output=True)

        pages: list[Path] = []
        total = timed(report, args.repeat)
        loaded = load_results(results)
        site = timed(lambda: pages.extend(write_site(loaded, Path(tmp) / f"site-{next(runs)}",
                                                     workbook=False)), args.repeat)
        workbook = timed(lambda: write_workbook(loaded, Path(tmp) / f"{next(runs)}.xlsx"),
                         args.repeat)
        written = pages[: len(pages) // args.repeat]
        charts = sum(p.read_text("utf-8").count('class="chart-spec"') for p in written)
    print(f"openstp report on {results}: {len(written)} pages, {charts} charts")
    print(line("total", total))
    print(line("site", site))
    print(line("workbook", workbook))


if __name__ == "__main__":
    main()
