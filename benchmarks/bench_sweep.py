"""Time sweeps and Sobol sensitivity on Dask: a scenario grid of 1,000 variants × 44 footprints
× 1,000 draws on 1 and 2 local workers, with the speed-up; and Sobol indices of England's
residual gap over every ranged parameter (≥ 20), with the number of model runs.

Run:  python benchmarks/bench_sweep.py [--variants 1000] [--draws 1000] [--samples 64]
          [--sobol-draws 100] [--skip-sweep] [--skip-sobol]

The grid is the cartesian product of ten values each of three risk parameters (pressure
loading, CIP median, the CIP ambition reference), cut to ``--variants``. Both sweeps must give
identical tables (checked). Cluster start-up is included in each wall time.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from openstp.params import builtin_parameters
from openstp.risk import builtin_plans
from openstp.risk.inputs import build_inputs
from openstp.risk.sobol import factors, sensitivity
from openstp.risk.sweep import Grid, Variant, run_sweep
from openstp.risk.tasks import Where


def grid(n: int, draws: int, seed: int) -> Grid:
    axes = {"risk.pressure.loading": np.linspace(0.2, 0.6, 10),
            "risk.delivery.provider_efficiency.median": np.linspace(0.76, 0.93, 10),
            "risk.ambition.provider_efficiency.reference": np.linspace(0.035, 0.045, 10)}
    combos = itertools.islice(itertools.product(*axes.values()), n)
    variants = [Variant(name=f"v{i}", params=dict(zip(axes, map(float, c), strict=True)))
                for i, c in enumerate(combos)]
    return Grid(variants, draws, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--sobol-draws", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--skip-sobol", action="store_true")
    args = parser.parse_args()
    params = builtin_parameters()
    inputs = build_inputs(builtin_plans(), params)
    if not args.skip_sweep:
        g = grid(args.variants, args.draws, args.seed)
        times, tables = {}, {}
        for workers in (1, 2):
            start = time.perf_counter()
            tables[workers] = run_sweep(inputs, params, g, Where(workers=workers), chunk=10)
            times[workers] = time.perf_counter() - start
            print(f"sweep, {len(g.variants):,d} variants × 44 footprints × {args.draws:,d} "
                  f"draws on {workers} worker(s): {times[workers]:.1f} s "
                  f"({times[workers] / len(g.variants) * 1e3:.0f} ms a variant)", flush=True)
        same = tables[1].equals(tables[2])
        print(f"speed-up 2 workers / 1: {times[1] / times[2]:.2f}×; identical tables: {same}")
    if not args.skip_sobol:
        n_factors = len(factors(params))
        start = time.perf_counter()
        england, _, runs = sensitivity(inputs, params, args.samples, args.sobol_draws,
                                       args.seed, Where(workers=2))
        wall = time.perf_counter() - start
        print(f"Sobol, England, {n_factors} parameters, N = {args.samples}: {runs:,d} model "
              f"runs of 44 footprints × {args.sobol_draws:,d} draws in {wall:.1f} s on 2 "
              f"workers ({wall / runs * 1e3:.0f} ms a run); top: "
              f"{', '.join(england['parameter'].head(3))}")


if __name__ == "__main__":
    main()
