"""Time the bed model: all 44 footprints × 1,000 draws × 365 days × 5 years after the base year.

Run:  python benchmarks/bench_beds.py [--draws 1000]
"""

from __future__ import annotations

import argparse
import time

from openstp.beds import beds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    beds(draws=2)  # load reference data and project the population once
    start = time.perf_counter()
    result = beds(draws=args.draws)
    elapsed = time.perf_counter() - start
    n_fp = result.capacity["footprint"].nunique()
    n_years = result.capacity["year"].nunique()
    days = n_fp * args.draws * 365 * n_years
    print(f"beds: {n_fp} footprints × {args.draws:,} draws × 365 days × {n_years} years "
          f"(base year and 5 more) = {days:,} simulated footprint-days in {elapsed:.2f} s "
          f"({days / elapsed / 1e6:.1f} M per second)")


if __name__ == "__main__":
    main()
