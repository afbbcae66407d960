"""Time the national review as `openstp review` runs it: all 44 built-in plans × 10,000 draws,
each stage, peak memory, and the ratio to its core kernel (the risk engine) in the same run.

Run:  python benchmarks/bench_review.py [--draws 10000] [--out DIR]

Targets (issue 12): ≤ 15 s wall and ≤ 1.5 GB peak on 2 cores. Prints numbers only.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from openstp.review.report import StageClock, run_with_progress
from openstp.risk import builtin_plans
from openstp.risk.engine import run as run_engine
from openstp.risk.inputs import build_inputs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp()) / "results"
    clock = StageClock()
    start = time.perf_counter()
    run = run_with_progress(None, args.draws, 2016, {}, [], clock)
    clock.enter("tables")
    tables = run.tables()
    clock.enter("write")
    tables.write(out, run.plans)
    clock.stop()
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB → GiB
    inputs = build_inputs(builtin_plans())
    t0 = time.perf_counter()
    run_engine(inputs, args.draws, 2016)
    kernel = time.perf_counter() - t0
    print(f"review of {len(run.codes)} plans × {args.draws:,} draws: {wall:.1f} s wall "
          f"(target ≤ 15 s), peak memory {peak:.2f} GiB (target ≤ 1.5)")
    for stage, seconds in clock.seconds.items():
        print(f"  {stage:<22} {seconds:7.2f} s")
    print(f"risk engine alone, same draws: {kernel:.2f} s; review / engine = "
          f"{wall / kernel:.1f}×")


if __name__ == "__main__":
    main()
