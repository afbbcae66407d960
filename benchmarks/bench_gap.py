"""Time the do-nothing gap: all 44 footprints × 9 sectors × 6 years, and the full sensitivity run.

Run:  python benchmarks/bench_gap.py
The first call loads reference data and projects the population (cached); the figures that
matter are the warm gap computation and the sensitivity run.
"""

from __future__ import annotations

import statistics

from timing import timed

from openstp.gap import compute_gap, sensitivity, sensitivity_paths
from openstp.params import builtin_parameters


def main() -> None:
    params = builtin_parameters()
    cold = timed(lambda: compute_gap("stp2017", params))[0]
    warm = timed(lambda: compute_gap("stp2017", params), repeat=20)
    arrays = compute_gap("stp2017", params)
    shape = arrays.cost.shape
    sens = timed(lambda: sensitivity("stp2017", params))[0]
    n_params = len(sensitivity_paths(params))
    print(f"gap, cold (loads data, projects population): {cold * 1e3:8.1f} ms")
    print(f"gap, warm {shape[0]} footprints × {shape[1]} sectors × {shape[2]} years: "
          f"median {statistics.median(warm) * 1e3:.2f} ms over {len(warm)} runs")
    print(f"sensitivity, {n_params} parameters × low/high = {2 * n_params} runs: "
          f"{sens * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
