"""Time the delivery-risk Monte Carlo: all 44 built-in plans × 10,000 draws × every scheme × the
plan years, against a naive per-draw Python loop of the same model on a subset of draws.

Run:  python benchmarks/bench_risk.py [--draws 10000] [--loop-draws 100] [--workers 2]

Prints the vectorised engine's time (warm: reference data and the gap model already loaded),
the whole ``simulate`` call's time, peak memory, the loop's time per draw and the ratio. The
loop uses the same random numbers, so it also checks that both give the same residual gaps.
Targets (issue 4): full run ≤ 1 s and ≤ 2 GB on 2 cores; ≥ 50× faster than the loop.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import time
import tracemalloc

import numpy as np

from openstp.risk import builtin_plans, simulate
from openstp.risk.engine import make_keys, run
from openstp.risk.inputs import Inputs, build_inputs
from openstp.risk.rng import normals, uniforms


def naive_loop(inputs: Inputs, seed: int, draws: int) -> np.ndarray:
    """The engine's model written as plain Python loops over draws, schemes and years."""
    keys = make_keys(inputs, seed)
    p = inputs.priors
    n_fp, n_years = len(inputs.footprints), len(inputs.years)
    n_schemes = len(p.centre)
    costly = set(inputs.costly.tolist())
    out = np.empty((draws, n_fp, n_years))
    for d in range(1, draws + 1):
        own = normals(keys.delivery, d, d + 1)[0]
        pressure = normals(keys.pressure, d, d + 1)[0]
        u_slip = uniforms(keys.slippage, d, d + 1)[0]
        u_opt = uniforms(keys.optimism, d, d + 1)[0]
        frac = [[0.0] * n_years for _ in range(n_schemes)]
        delay = [0] * n_schemes
        for m in range(n_schemes):
            a, b = math.sqrt(p.loading[m]), math.sqrt(1 - p.loading[m])
            for y in range(n_years):
                if p.certain[m]:
                    frac[m][y] = float(p.central_fraction[m])
                    continue
                z = a * pressure[y] + b * own[m]
                s = p.s_low[m] if z < 0 else p.s_high[m]
                frac[m][y] = 1 / (1 + math.exp(-(p.centre[m] + z * s)))
            delay[m] = int(u_slip[m] >= p.slip_cumulative[m, 0]) + int(
                u_slip[m] >= p.slip_cumulative[m, 1])
        for _ in range(inputs.levels):
            for child, parent in inputs.edges.tolist():
                delay[child] = max(delay[child], delay[parent])
                for y in range(n_years):
                    frac[child][y] = min(frac[child][y], frac[parent][y])
        totals = [[0.0] * n_years for _ in range(n_fp)]
        for m in range(n_schemes):
            bias = 0.0
            if m in costly:
                low, mode, high = p.optimism[m]
                u = u_opt[m]
                split = (mode - low) / (high - low) if high > low else 1.0
                bias = (low + math.sqrt(u * (high - low) * (mode - low)) if u < split
                        else high - math.sqrt((1 - u) * (high - low) * (high - mode)))
            f = inputs.scheme_footprint[m]
            for y in range(n_years):
                totals[f][y] += (frac[m][y] * inputs.saving[m, delay[m], y]
                                 - (1 + bias) * inputs.cost[m, delay[m], y])
        for f in range(n_fp):
            for y in range(n_years):
                out[d - 1, f, y] = inputs.gap[f, y] - totals[f][y]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--loop-draws", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    plans = builtin_plans()
    simulate(plans, draws=10, seed=args.seed)  # warm: data, gap model, imports
    inputs = build_inputs(plans)
    shape = (len(inputs.footprints), len(inputs.schemes), len(inputs.years))
    cells = args.draws * shape[1] * shape[2]

    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = run(inputs, args.draws, args.seed, workers=args.workers)
        times.append(time.perf_counter() - start)
    engine = min(times)
    start = time.perf_counter()
    simulate(plans, draws=args.draws, seed=args.seed, workers=args.workers)
    whole = time.perf_counter() - start
    tracemalloc.start()  # a separate run: tracing slows NumPy's allocations
    run(inputs, args.draws, args.seed, workers=args.workers)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    start = time.perf_counter()
    loop = naive_loop(inputs, args.seed, args.loop_draws)
    loop_time = time.perf_counter() - start
    same = result.residual[1:args.loop_draws + 1]
    error = np.max(np.abs(loop - same) / np.maximum(np.abs(same), 1.0))

    per_draw_engine = engine / args.draws
    per_draw_loop = loop_time / args.loop_draws
    print(f"cores: {os.cpu_count()}, engine threads: {args.workers}")
    print(f"model: {shape[0]} footprints, {shape[1]} schemes, {shape[2]} years "
          f"(base year and {shape[2] - 1} plan years)")
    print(f"vectorised engine, {args.draws:,d} draws ({cells / 1e6:,.1f}M scheme-years): "
          f"{engine:.3f} s best of 3 ({per_draw_engine * 1e6:,.1f} µs a draw)")
    print(f"whole simulate() call incl. plan layout and gap model (warm): {whole:.3f} s")
    print(f"peak memory: {traced_peak / 2**20:,.0f} MiB allocated by the engine (tracemalloc), "
          f"{rss:,.0f} MiB process peak RSS")
    print(f"naive Python loop, {args.loop_draws:,d} draws: {loop_time:.3f} s "
          f"({per_draw_loop * 1e3:,.1f} ms a draw)")
    print(f"ratio (loop / vectorised, per draw): {per_draw_loop / per_draw_engine:,.0f}×")
    print(f"loop and engine agree: max relative difference {error:.1e}")


if __name__ == "__main__":
    main()
