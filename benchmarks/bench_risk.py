"""Time the delivery-risk Monte Carlo: all 44 built-in plans × 10,000 draws × every scheme × the
plan years, against a plain NumPy kernel of the same model and a per-draw Python loop.

Run:  python benchmarks/bench_risk.py [--draws 10000] [--loop-draws 100] [--workers 2]

Prints the engine's time (warm: reference data and the gap model already loaded), the plain
kernel's (the model as straight NumPy over all draws at once, one thread: the yardstick for the
engine's overheads), the loop's time per draw, both ratios, peak memory, the whole
``simulate`` call and the results tables' first and cached calls. All three use the same random
numbers, so they also check each other's residual gaps. Engine and kernel are timed in turns,
best of several, so their ratio is measured under the same load.
Targets: engine ≤ 0.5 s on 2 cores, ≥ 150× the loop, ≤ 1.3× the plain kernel.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.special import expit

from openstp.risk import builtin_plans, simulate
from openstp.risk.engine import make_keys, run
from openstp.risk.inputs import Inputs, build_inputs
from openstp.risk.priors import MAX_DELAY, NEVER
from openstp.risk.rng import normals, uniforms

sys.path.insert(0, str(Path(__file__).parent))
from timing import timed


def plain_kernel(inputs: Inputs, seed: int, draws: int) -> dict[str, np.ndarray]:
    """The engine's model as straight NumPy over random draws 1 … ``draws`` at once.

    No blocks, threads or preallocation; the same float32 arithmetic for the fraction as the
    engine, so the two agree to the bit. Assumes every footprint has schemes (the built-in
    plans do).
    """
    keys = make_keys(inputs, seed)
    p = inputs.priors
    f32 = np.float32
    own = normals(keys.delivery, 1, draws + 1).astype(f32)  # (draw, scheme)
    pressure = normals(keys.pressure, 1, draws + 1).astype(f32)  # (draw, year)
    z = pressure[:, :, None] * np.sqrt(p.loading).astype(f32)  # (draw, year, scheme)
    z += (own * np.sqrt(1 - p.loading).astype(f32))[:, None, :]
    # split spread: z·s_low below the median, z·s_high above, as z·mean + |z|·half-difference
    frac = z * ((p.s_high + p.s_low) / 2).astype(f32)
    frac += np.abs(z) * ((p.s_high - p.s_low) / 2).astype(f32)
    frac += p.centre.astype(f32)
    expit(frac, out=frac)
    frac *= p.width.astype(f32)  # the fraction's range: lower + width · expit(·)
    frac += p.lower.astype(f32)
    frac[:, :, p.certain] = p.central_fraction[p.certain]
    u = uniforms(keys.slippage, 1, draws + 1)  # (draw, scheme): 0, 1, 2 years or never
    delay = sum((u >= p.slip_cumulative[:, k]).astype(np.intp) for k in range(3))
    needy = np.flatnonzero(p.capital_cumulative[:, 0] < 1)
    c = uniforms(keys.capital[needy], 1, draws + 1)
    d = delay[:, needy]
    d = np.where(d < NEVER, np.minimum(d + (c >= p.capital_cumulative[needy, 0]), MAX_DELAY), d)
    delay[:, needy] = np.where(c >= p.capital_cumulative[needy, 1], NEVER, d)
    for _ in range(inputs.levels):
        for child, parent in inputs.dependencies:
            frac[:, :, child] = np.minimum(frac[:, :, child], frac[:, :, parent])
            delay[:, child] = np.maximum(delay[:, child], delay[:, parent])
    low, mode, high = p.optimism[inputs.costly].T
    u = uniforms(keys.optimism[inputs.costly], 1, draws + 1)  # (draw, costly scheme)
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        split = np.where(width > 0, (mode - low) / width, 1.0)
    bias = np.zeros(delay.shape)  # (draw, scheme)
    bias[:, inputs.costly] = np.where(u < split, low + np.sqrt(u * width * (mode - low)),
                                      high - np.sqrt((1 - u) * width * (high - mode)))
    scheme, year = np.arange(len(p.centre)), np.arange(len(inputs.years))[:, None]
    saving = inputs.saving[scheme, delay[:, None, :], year]  # (draw, year, scheme)
    saving *= frac
    cost = inputs.cost[scheme, delay[:, None, :], year]
    cost *= (1 + bias)[:, None, :]
    net = saving - cost
    totals = np.add.reduceat(net, inputs.starts, axis=2)  # (draw, year, footprint)
    return {"residual": inputs.gap - totals.transpose(0, 2, 1),  # (draw, footprint, year)
            "net_horizon": net[:, -1], "delivered_mean": saving.mean(axis=0).T,
            "cost_mean": cost.mean(axis=0).T}


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
                frac[m][y] = p.lower[m] + p.width[m] / (1 + math.exp(-(p.centre[m] + z * s)))
            delay[m] = sum(int(u_slip[m] >= p.slip_cumulative[m, k]) for k in range(3))
            if p.capital_cumulative[m, 0] < 1:
                c = uniforms(keys.capital[m:m + 1], d, d + 1)[0, 0]
                if c >= p.capital_cumulative[m, 1]:
                    delay[m] = NEVER
                elif delay[m] < NEVER and c >= p.capital_cumulative[m, 0]:
                    delay[m] = min(delay[m] + 1, MAX_DELAY)
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


def relative(a: np.ndarray, b: np.ndarray) -> float:
    """Largest difference of ``a`` from ``b`` relative to ``b`` (to £1 where ``b`` is near 0)."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0)))


def traced_peak(fn: Callable[[], object]) -> float:
    """MiB allocated at the peak of one call of ``fn`` (tracemalloc; NumPy reports to it)."""
    tracemalloc.start()  # a separate call: tracing slows NumPy's allocations
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


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

    def engine_run():  # delivery alone: what the plain kernel and the loop reproduce
        return run(inputs, args.draws, args.seed, workers=args.workers, gap_uncertainty=False)

    def kernel_run():
        return plain_kernel(inputs, args.seed, args.draws)

    engine_times, kernel_times = [], []
    for _ in range(3):  # in turns, so both see the same load
        engine_times += timed(engine_run, repeat=2)
        kernel_times += timed(kernel_run)
    engine, kernel = min(engine_times), min(kernel_times)
    with_gap = min(timed(lambda: run(inputs, args.draws, args.seed, workers=args.workers),
                         repeat=3))
    result, plain = engine_run(), kernel_run()
    (whole,) = timed(lambda: simulate(plans, draws=args.draws, seed=args.seed,
                                      workers=args.workers))
    engine_peak, kernel_peak = traced_peak(engine_run), traced_peak(kernel_run)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    results = simulate(plans, draws=args.draws, seed=args.seed, workers=args.workers)
    tables = ("summary", "residual", "schemes", "by_type")
    first = {t: timed(getattr(results, t))[0] for t in tables}
    again = {t: min(timed(getattr(results, t), repeat=5)) for t in tables}

    loop_time = min(timed(lambda: naive_loop(inputs, args.seed, args.loop_draws), repeat=3))
    loop = naive_loop(inputs, args.seed, args.loop_draws)
    same = result.residual[1:args.loop_draws + 1]
    kernel_error = max(relative(result.residual[1:], plain["residual"]),
                       relative(result.net_horizon[1:], plain["net_horizon"]))
    means_error = max(relative(result.delivered_mean, plain["delivered_mean"]),
                      relative(result.cost_mean, plain["cost_mean"]))

    per_draw = {"engine": engine / args.draws, "kernel": kernel / args.draws,
                "loop": loop_time / args.loop_draws}
    print(f"cores: {os.cpu_count()}, engine threads: {args.workers}")
    print(f"model: {shape[0]} footprints, {shape[1]} schemes, {shape[2]} years "
          f"(base year and {shape[2] - 1} plan years)")
    print(f"engine, {args.draws:,d} draws ({cells / 1e6:,.1f}M scheme-years): {engine:.3f} s "
          f"best of {len(engine_times)} ({per_draw['engine'] * 1e6:,.1f} µs a draw)")
    print(f"engine with the gap's own draws (the default): {with_gap:.3f} s best of 3")
    print(f"plain NumPy kernel, all draws at once, 1 thread: {kernel:.3f} s best of "
          f"{len(kernel_times)} ({per_draw['kernel'] * 1e6:,.1f} µs a draw)")
    print(f"per-draw Python loop, {args.loop_draws:,d} draws: {loop_time:.3f} s best of 3 "
          f"({per_draw['loop'] * 1e3:,.1f} ms a draw)")
    print(f"ratio engine / plain kernel: {engine / kernel:.2f} (target ≤ 1.3)")
    print(f"ratio loop / engine, per draw: {per_draw['loop'] / per_draw['engine']:,.0f}× "
          f"(target ≥ 150×)")
    print(f"whole simulate() call incl. plan layout and gap model (warm): {whole:.3f} s")
    print(f"peak memory (tracemalloc): engine {engine_peak:,.0f} MiB, plain kernel "
          f"{kernel_peak:,.0f} MiB; process peak RSS {rss:,.0f} MiB")
    print("results tables, first call / cached: " + ", ".join(
        f"{t}() {first[t] * 1e3:,.0f} ms / {again[t] * 1e3:,.1f} ms" for t in tables))
    print(f"agreement, max relative difference: engine vs plain kernel {kernel_error:.1e} "
          f"(residual and net draws), {means_error:.1e} (means); engine vs loop "
          f"{relative(loop, same):.1e}")


if __name__ == "__main__":
    main()
