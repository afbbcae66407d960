"""Time the national review: all 44 built-in plans × 10,000 draws, reporting each stage.

Run:  python benchmarks/bench_review.py [--draws 10000]
"""

from __future__ import annotations

import argparse
import itertools
import time

from openstp.review.chain import run_national


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()

    def step(stage: str, done: int, total: int) -> None:
        if not marks or marks[-1][0] != stage:
            marks.append((stage, time.perf_counter()))

    run = run_national(draws=args.draws, progress=step)
    end = time.perf_counter()
    marks.append(("end", end))
    print(f"review of {len(run.codes)} plans × {args.draws:,} draws: {end - start:.1f} s")
    for (stage, t0), (_, t1) in itertools.pairwise(marks):
        print(f"  {stage:<22} {t1 - t0:7.2f} s")
    t0 = time.perf_counter()
    run.tables()
    print(f"  {'tables':<22} {time.perf_counter() - t0:7.2f} s")


if __name__ == "__main__":
    main()
