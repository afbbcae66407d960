"""The Monte Carlo engine: draws × schemes × years in one NumPy computation per block of draws.

For each draw d, scheme m (of footprint f) and year y:

    z[d,m,y]     = sqrt(loading)·pressure[d,y] + sqrt(1 − loading)·own[d,m]
    fraction     = split logit-normal quantile of z (risk.priors), at most its prerequisites'
    delay[d,m]   = 0, 1 or 2 years (risk.slippage), at least its prerequisites'
    net[d,m,y]   = fraction · saving[m, y − delay] − (1 + optimism[d,m]) · cost[m, y; delay]
    residual[d,f,y] = gap[f,y] − Σ_{m in f} net[d,m,y]

Draw 0 is the central case: every fraction at its graded median, no delay, no pressure, the
central optimism bias. Draws 1 … N are random. Blocks of draws run on a thread pool (NumPy
releases the GIL); random numbers are counter-based (``risk.rng``), so the results do not
depend on the block size or the number of threads, and memory is bounded by the block size.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from openstp.risk.inputs import Inputs
from openstp.risk.priors import MAX_DELAY
from openstp.risk.rng import label_keys, normals, stream_keys, uniforms

BLOCK = 250  # draws per block: small enough for the CPU cache (~25 MB of temporaries
# per worker for 500 schemes × 6 years), large enough to amortise NumPy's call overhead
WORKERS = 2  # threads; the engine's own default, the CLI and benchmark may choose others
Z = np.float32  # the normal → fraction step runs in single precision; money stays in double


@dataclass(frozen=True)
class Keys:
    """Counter-RNG keys of one run: per scheme for delivery, slippage and optimism bias,
    per year for system pressure."""

    delivery: np.ndarray
    slippage: np.ndarray
    optimism: np.ndarray
    pressure: np.ndarray


def make_keys(inputs: Inputs, seed: int) -> Keys:
    """Keys for every scheme (labelled ``footprint/scheme id``) and year, from ``seed``."""
    streams = stream_keys(seed)
    labels = [f"{f}/{s}" for f, s in zip(inputs.schemes["footprint"], inputs.schemes["scheme"],
                                          strict=True)]
    return Keys(delivery=label_keys(streams["delivery"], labels),
                slippage=label_keys(streams["slippage"], labels),
                optimism=label_keys(streams["optimism"], labels),
                pressure=label_keys(streams["pressure"], inputs.years))


@dataclass(frozen=True)
class Block:
    """One block of draws: the residual gap, each scheme's horizon-year net saving, and sums
    over the block's draws of each scheme's delivered saving and cost by year."""

    residual: np.ndarray  # (draw, footprint, year)
    net_horizon: np.ndarray  # (draw, scheme) saving − cost in the horizon year
    delivered_sum: np.ndarray  # (scheme, year)
    cost_sum: np.ndarray  # (scheme, year)
    delivered: np.ndarray | None = None  # (draw, scheme, year) float32, when kept


def central_block(inputs: Inputs, keep: bool = False) -> Block:
    """Draw 0: every input at its central value."""
    p = inputs.priors
    n_schemes = len(p.centre)
    frac = np.broadcast_to(p.central_fraction[None, :, None].astype(Z),
                           (1, n_schemes, len(inputs.years))).copy()
    frac = _propagate_fraction(frac, inputs)
    delay = np.zeros((1, n_schemes), dtype=np.intp)
    return _money(inputs, frac, delay, p.optimism[None, :, 1], keep)


def random_block(inputs: Inputs, keys: Keys, first: int, last: int, keep: bool = False
                 ) -> Block:
    """Random draws ``first`` … ``last - 1`` (first ≥ 1)."""
    p = inputs.priors
    own = normals(keys.delivery, first, last).astype(Z)  # (n, m)
    pressure = normals(keys.pressure, first, last).astype(Z)  # (n, y)
    z = pressure[:, None, :] * np.sqrt(p.loading).astype(Z)[None, :, None]
    z += (own * np.sqrt(1 - p.loading).astype(Z))[:, :, None]
    # the split spread as one expression: z·s = z·(s_low + s_high)/2 + |z|·(s_high − s_low)/2
    bend = np.abs(z)
    bend *= ((p.s_high - p.s_low) / 2).astype(Z)[None, :, None]
    z *= ((p.s_high + p.s_low) / 2).astype(Z)[None, :, None]
    z += bend
    z += p.centre.astype(Z)[None, :, None]
    frac = expit(z, out=z)
    if p.certain.any():
        frac[:, p.certain, :] = p.central_fraction[p.certain][None, :, None]
    frac = _propagate_fraction(frac, inputs)
    u = uniforms(keys.slippage, first, last)
    delay = (u >= p.slip_cumulative[None, :, 0]).astype(np.intp)
    delay += u >= p.slip_cumulative[None, :, 1]
    for _ in range(inputs.levels):
        for child, parent in inputs.dependencies:
            delay[:, child] = np.maximum(delay[:, child], delay[:, parent])
    optimism = np.zeros(delay.shape)
    costly = inputs.costly
    if len(costly):
        optimism[:, costly] = _triangular(uniforms(keys.optimism[costly], first, last),
                                          p.optimism[costly])
    return _money(inputs, frac, delay, optimism, keep)


def _propagate_fraction(frac: np.ndarray, inputs: Inputs) -> np.ndarray:
    """A scheme delivers no larger a fraction of its plan than its prerequisites did."""
    for _ in range(inputs.levels):
        for child, parent in inputs.dependencies:
            frac[:, child] = np.minimum(frac[:, child], frac[:, parent])
    return frac


def _triangular(u: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Quantiles of triangular distributions; ``bounds`` is (scheme, 3): low, mode, high."""
    low, mode, high = (bounds[None, :, i] for i in range(3))
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        split = np.where(width > 0, (mode - low) / width, 1.0)
    below = low + np.sqrt(u * width * (mode - low))
    above = high - np.sqrt((1 - u) * width * (high - mode))
    return np.where(u < split, below, above)


def _money(inputs: Inputs, frac: np.ndarray, delay: np.ndarray, optimism: np.ndarray,
           keep: bool = False) -> Block:
    """Delivered savings less costs, summed per footprint and taken from the gap.

    ``keep`` also returns each draw's delivered saving per scheme and year (before costs), which
    the bed and workforce models read so that they share the risk model's draws.
    """
    n, n_schemes = delay.shape
    n_years = len(inputs.years)
    rows = np.arange(n_schemes) * (MAX_DELAY + 1) + delay  # row of (scheme, delay) tables
    net = np.take(inputs.saving.reshape(-1, n_years), rows, axis=0)  # (n, m, y)
    np.multiply(net, frac, out=net)
    delivered = net.astype(np.float32) if keep else None
    delivered_sum = net.sum(axis=0)
    cost_sum = np.zeros_like(delivered_sum)
    costly = inputs.costly  # only schemes with any investment or double running
    if len(costly):
        cost = np.take(inputs.cost.reshape(-1, n_years), rows[:, costly], axis=0)
        cost *= (1 + optimism[:, costly])[:, :, None]
        cost_sum[costly] = cost.sum(axis=0)
        net[:, costly] -= cost
    totals = np.zeros((n, len(inputs.footprints), n_years))
    counts = np.diff(np.append(inputs.starts, n_schemes))
    has = counts > 0
    if has.any():
        totals[:, has] = np.add.reduceat(net, inputs.starts[has], axis=1)
    return Block(residual=inputs.gap[None] - totals, net_horizon=net[:, :, -1].copy(),
                 delivered_sum=delivered_sum, cost_sum=cost_sum, delivered=delivered)


@dataclass(frozen=True)
class Run:
    """Every draw of a run: draw 0 central, then ``draws`` random ones."""

    residual: np.ndarray  # (1 + draws, footprint, year)
    net_horizon: np.ndarray  # (1 + draws, scheme)
    delivered_central: np.ndarray  # (scheme, year)
    cost_central: np.ndarray
    delivered_mean: np.ndarray  # (scheme, year), over the random draws
    cost_mean: np.ndarray
    delivered: np.ndarray | None = None  # (1 + draws, scheme, year) float32, when kept


def run(inputs: Inputs, draws: int, seed: int, *, block: int = BLOCK,
        workers: int | None = None, progress: Callable[[int, int], None] | None = None,
        keep_delivered: bool = False) -> Run:
    """The central draw and ``draws`` random draws, in blocks, on ``workers`` threads."""
    keys = make_keys(inputs, seed)
    central = central_block(inputs, keep_delivered)
    ranges = [(a, min(a + block, draws + 1)) for a in range(1, draws + 1, block)]
    workers = max(1, min(workers or WORKERS, os.cpu_count() or 1, len(ranges) or 1))
    blocks: list[Block] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for out in pool.map(lambda r: random_block(inputs, keys, *r, keep_delivered), ranges):
            blocks.append(out)
            if progress:
                progress(len(blocks), len(ranges))
    n = max(draws, 1)
    zeros = np.zeros_like(central.delivered_sum)
    return Run(
        residual=np.concatenate([central.residual, *(b.residual for b in blocks)]),
        net_horizon=np.concatenate([central.net_horizon, *(b.net_horizon for b in blocks)]),
        delivered_central=central.delivered_sum, cost_central=central.cost_sum,
        delivered_mean=sum((b.delivered_sum for b in blocks), zeros) / n,
        cost_mean=sum((b.cost_sum for b in blocks), zeros) / n,
        delivered=np.concatenate([central.delivered, *(b.delivered for b in blocks)])
        if keep_delivered else None)
