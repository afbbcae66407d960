"""The Monte Carlo engine: draws × schemes × years in one NumPy computation per block of draws.

For each draw d, scheme m (of footprint f) and year y:

    z[d,m,y]     = sqrt(loading)·pressure[d,y] + sqrt(1 − loading)·own[d,m]
    fraction     = split logit-normal quantile of z over its range (risk.priors), at most its
                   prerequisites'
    delay[d,m]   = 0, 1 or 2 years or never (risk.slippage), one more year or never when its
                   unfunded capital comes late or not at all (risk.capital), at least its
                   prerequisites'
    net[d,m,y]   = fraction · saving[m, y − delay] − (1 + optimism[d,m]) · cost[m, y; delay]
    gap[d,f,y]      = the do-nothing gap redrawn from its own sourced ranges (``gap.draws``)
    residual[d,f,y] = gap[d,f,y] − Σ_{m in f} net[d,m,y]

Draw 0 is the central case: every fraction at its graded median, no delay, no pressure, the
central optimism bias, the central gap. Draws 1 … N are random. Blocks of draws run on a thread pool (NumPy
releases the GIL); random numbers are counter-based (``risk.rng``), so the results do not
depend on the block size or the number of threads, and memory is bounded by the block size.

Inside a block arrays are laid out (year, draw, scheme): the scheme axis is innermost, so every
per-scheme prior broadcasts along a contiguous row, and the saving for each draw's delay is one
``numpy.take`` of a (year, scheme × delay) table. Each block writes its draws straight into
the run's preallocated (draw, footprint, year) and (draw, scheme) arrays.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from openstp.gap.draws import SOURCES as GAP_SOURCES
from openstp.risk.inputs import Inputs
from openstp.risk.priors import MAX_DELAY, NEVER, SLOTS
from openstp.risk.rng import label_keys, normals, stream_keys, uniforms

BLOCK = 250  # draws per block: measured best on the project machine (smaller blocks pay
# NumPy's per-call overhead more often, larger ones spill the cache); the means of saving and
# cost add block sums in order, so this size also keeps them as they were
WORKERS = 2  # threads; the engine's own default, the CLI and benchmark may choose others
Z = np.float32  # the normal → fraction step runs in single precision; money stays in double


@dataclass(frozen=True)
class Keys:
    """Counter-RNG keys of one run: per scheme for delivery, slippage, optimism bias and
    capital, per year for system pressure."""

    delivery: np.ndarray
    slippage: np.ndarray
    optimism: np.ndarray
    pressure: np.ndarray
    gap: np.ndarray  # (source,) one national key per source of the gap's uncertainty
    capital: np.ndarray


def make_keys(inputs: Inputs, seed: int) -> Keys:
    """Keys for every scheme (labelled ``footprint/scheme id``) and year, from ``seed``; the
    gap's sources are national shocks, one key each labelled ``england``."""
    streams = stream_keys(seed)
    labels = [f"{f}/{s}" for f, s in zip(inputs.schemes["footprint"], inputs.schemes["scheme"],
                                          strict=True)]
    return Keys(delivery=label_keys(streams["delivery"], labels),
                slippage=label_keys(streams["slippage"], labels),
                optimism=label_keys(streams["optimism"], labels),
                pressure=label_keys(streams["pressure"], inputs.years),
                gap=np.concatenate([label_keys(streams[f"gap_{name}"], ["england"])
                                    for name in GAP_SOURCES]),
                capital=label_keys(streams["capital"], labels))


@dataclass(frozen=True)
class Layout:
    """The inputs as the blocks read them, made once per run: the z → fraction coefficients
    in single precision and the money tables indexed by (year, scheme × delay)."""

    a: np.ndarray  # (scheme,) float32, sqrt(loading): weight of system pressure
    b: np.ndarray  # (scheme,) float32, sqrt(1 − loading): weight of the scheme's own z
    half_sum: np.ndarray  # (scheme,) float32, (s_low + s_high) / 2
    half_diff: np.ndarray  # (scheme,) float32, (s_high − s_low) / 2
    centre: np.ndarray  # (scheme,) float32, logit of the graded median
    lower: np.ndarray | None  # (scheme,) float32, the fraction's range; None when all are 0–1
    width: np.ndarray | None
    saving: np.ndarray  # (year, scheme × delay) planned saving at each delay
    cost: np.ndarray | None  # (year, scheme × delay) costs at each delay; None if none has any
    gap: np.ndarray  # (footprint, year)
    starts: np.ndarray  # first scheme of each footprint that has schemes
    has: np.ndarray  # (footprint,) bool: the footprint has schemes


def make_layout(inputs: Inputs) -> Layout:
    """The per-run constants of ``inputs`` in the blocks' (year, …, scheme) layout."""
    p = inputs.priors
    n_schemes, n_years = len(p.centre), len(inputs.years)

    def table(money: np.ndarray) -> np.ndarray:  # (scheme, slot, year) → (year, scheme·slot)
        return np.ascontiguousarray(money.transpose(2, 0, 1).reshape(n_years, -1))

    has = np.diff(np.append(inputs.starts, n_schemes)) > 0
    stretched = bool(np.any(p.lower != 0) or np.any(p.width != 1))
    return Layout(a=np.sqrt(p.loading).astype(Z), b=np.sqrt(1 - p.loading).astype(Z),
                  half_sum=((p.s_high + p.s_low) / 2).astype(Z),
                  half_diff=((p.s_high - p.s_low) / 2).astype(Z), centre=p.centre.astype(Z),
                  lower=p.lower.astype(Z) if stretched else None,
                  width=p.width.astype(Z) if stretched else None,
                  saving=table(inputs.saving),
                  cost=table(inputs.cost) if len(inputs.costly) else None,
                  gap=inputs.gap, starts=inputs.starts[has], has=has)


@dataclass(frozen=True)
class Run:
    """Every draw of a run: draw 0 central, then ``draws`` random ones."""

    residual: np.ndarray  # (1 + draws, footprint, year)
    net_horizon: np.ndarray  # (1 + draws, scheme)
    delivered_central: np.ndarray  # (scheme, year)
    cost_central: np.ndarray
    delivered_mean: np.ndarray  # (scheme, year), over the random draws
    cost_mean: np.ndarray
    gap_mean: np.ndarray  # (footprint, year) do-nothing gap, mean over the random draws
    delivered: np.ndarray | None = None  # (kept draws, scheme, year) float32, when kept


@dataclass(frozen=True)
class Sums:
    """One block's sums over its draws of each scheme's delivered saving and cost."""

    delivered: np.ndarray  # (year, scheme)
    cost: np.ndarray  # (year, scheme)
    gap: np.ndarray  # (footprint, year) sum over the block's draws of the do-nothing gap


def central_fraction(inputs: Inputs) -> np.ndarray:
    """(year, 1, scheme) float32: draw 0's fractions, every scheme at its graded median."""
    p = inputs.priors
    frac = np.tile(p.central_fraction.astype(Z), (len(inputs.years), 1, 1))
    return _propagate_fraction(frac, inputs)


def random_fraction(inputs: Inputs, layout: Layout, keys: Keys, first: int, last: int
                    ) -> np.ndarray:
    """(year, draw, scheme) float32: fractions delivered in draws ``first`` … ``last - 1``."""
    p = inputs.priors
    own = normals(keys.delivery, first, last).astype(Z)  # (draw, scheme)
    pressure = normals(keys.pressure, first, last).astype(Z)  # (draw, year)
    # order="C": the transposed pressure would otherwise make NumPy lay z out (draw, year, …)
    z = np.multiply(pressure.T[:, :, None], layout.a, order="C")  # (year, draw, scheme)
    z += own * layout.b
    # the split spread as one expression: z·s = z·(s_low + s_high)/2 + |z|·(s_high − s_low)/2
    bend = np.abs(z)
    bend *= layout.half_diff
    z *= layout.half_sum
    z += bend
    z += layout.centre
    # scipy's float32 logistic, in place: np.exp's SIMD form is ~2× faster here but differs
    # by up to 4 ulp, which moves residual gaps near zero by more than 1e-6 of themselves
    frac = expit(z, out=z)
    if layout.width is not None:
        frac *= layout.width
        frac += layout.lower
    if p.certain.any():
        frac[:, :, p.certain] = p.central_fraction[p.certain]
    return _propagate_fraction(frac, inputs)


def random_delay(inputs: Inputs, keys: Keys, first: int, last: int) -> np.ndarray:
    """(draw, scheme): years of slippage (``NEVER``: not within the plan period), with a year
    more or never for unfunded capital that comes late or not at all, at least each
    prerequisite's."""
    p = inputs.priors
    u = uniforms(keys.slippage, first, last)
    delay = (u >= p.slip_cumulative[:, 0]).astype(np.intp)
    delay += u >= p.slip_cumulative[:, 1]
    delay += u >= p.slip_cumulative[:, 2]
    needy = np.flatnonzero(p.capital_cumulative[:, 0] < 1)
    if len(needy):
        c = uniforms(keys.capital[needy], first, last)
        late = c >= p.capital_cumulative[needy, 0]
        lost = c >= p.capital_cumulative[needy, 1]
        d = delay[:, needy]
        d = np.where(d < NEVER, np.minimum(d + late, MAX_DELAY), d)
        delay[:, needy] = np.where(lost, NEVER, d)
    for _ in range(inputs.levels):
        for child, parent in inputs.dependencies:
            delay[:, child] = np.maximum(delay[:, child], delay[:, parent])
    return delay


def random_overrun(inputs: Inputs, keys: Keys, first: int, last: int) -> np.ndarray:
    """(draw, scheme): 1 + optimism bias on each scheme's costs (1 where it has none)."""
    p = inputs.priors
    costly = inputs.costly
    factor = np.ones((last - first, len(p.centre)))
    if len(costly):
        factor[:, costly] += _triangular(uniforms(keys.optimism[costly], first, last),
                                         p.optimism[costly])
    return factor


def random_gap(inputs: Inputs, keys: Keys, first: int, last: int) -> np.ndarray:
    """(draw, footprint, year): the do-nothing gap redrawn from its own ranges."""
    z = normals(keys.gap, first, last)  # (draw, source)
    out = np.empty((last - first, len(inputs.footprints), len(inputs.years)))
    for rows, pieces in inputs.gap_draws:
        out[:, rows] = pieces.gaps(z)
    return out


def _propagate_fraction(frac: np.ndarray, inputs: Inputs) -> np.ndarray:
    """A scheme delivers no larger a fraction of its plan than its prerequisites did."""
    for _ in range(inputs.levels):
        for child, parent in inputs.dependencies:
            frac[:, :, child] = np.minimum(frac[:, :, child], frac[:, :, parent])
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


@dataclass(frozen=True)
class Out:
    """The run's per-draw arrays, filled block by block (blocks write disjoint rows)."""

    residual: np.ndarray  # (1 + draws, footprint, year)
    net_horizon: np.ndarray  # (1 + draws, scheme)
    delivered: np.ndarray | None  # (kept draws, scheme, year) float32


def money(layout: Layout, frac: np.ndarray, delay: np.ndarray, factor: np.ndarray, out: Out,
          first: int, gap: np.ndarray | None = None) -> Sums:
    """Delivered savings less costs, summed per footprint and taken from the gap, for the draws
    ``first`` … of ``frac`` (year, draw, scheme), ``delay`` and ``factor`` (draw, scheme).

    ``gap`` (draw, footprint, year) is each draw's do-nothing gap (default: the central one).
    Writes the residual gap, the horizon-year net saving and (for kept draws) the delivered
    saving into ``out``; returns the block's sums over draws of saving and cost.
    """
    n = delay.shape[0]
    rows = delay + np.arange(0, delay.shape[1] * SLOTS, SLOTS)  # (draw, scheme)
    net = np.take(layout.saving, rows, axis=1)  # (year, draw, scheme)
    net *= frac  # delivered saving
    delivered = net.sum(axis=1)  # (year, scheme)
    if out.delivered is not None and first < len(out.delivered):
        kept = min(n, len(out.delivered) - first)
        out.delivered[first:first + kept] = net[:, :kept].transpose(1, 2, 0)
    if layout.cost is None:
        cost_sum = np.zeros_like(delivered)
    else:
        cost = np.take(layout.cost, rows, axis=1)  # (year, draw, scheme)
        cost *= factor
        cost_sum = cost.sum(axis=1)
        net -= cost
    totals = np.zeros((n, len(layout.has), net.shape[0]))  # (draw, footprint, year)
    if len(layout.starts):
        totals[:, layout.has] = np.add.reduceat(net, layout.starts, axis=2).transpose(1, 2, 0)
    np.subtract(layout.gap if gap is None else gap, totals, out=out.residual[first:first + n])
    out.net_horizon[first:first + n] = net[-1]
    gap_sum = layout.gap * n if gap is None else gap.sum(axis=0)
    return Sums(delivered=delivered, cost=cost_sum, gap=gap_sum)


def _keep_count(keep_delivered: bool | int, draws: int) -> int:
    """How many draws (from draw 0) to keep delivered savings for."""
    if isinstance(keep_delivered, bool):
        return draws + 1 if keep_delivered else 0
    return min(max(int(keep_delivered), 0), draws + 1)


def run(inputs: Inputs, draws: int, seed: int, *, block: int = BLOCK,
        workers: int | None = None, progress: Callable[[int, int], None] | None = None,
        keep_delivered: bool | int = False, gap_uncertainty: bool = True) -> Run:
    """The central draw and ``draws`` random draws, in blocks, on ``workers`` threads.

    With ``gap_uncertainty`` each random draw also redraws the do-nothing gap from its own
    sourced ranges; without it every draw takes the central gap (delivery risk alone).

    ``keep_delivered`` keeps each draw's delivered saving per scheme and year: ``True`` for
    every draw, a number ``k`` for draws 0 … k − 1 only (what the bed and workforce models use).
    """
    keys = make_keys(inputs, seed)
    layout = make_layout(inputs)
    n_schemes, n_years = len(inputs.schemes), len(inputs.years)
    kept = _keep_count(keep_delivered, draws)
    out = Out(residual=np.empty((draws + 1, len(inputs.footprints), n_years)),
              net_horizon=np.empty((draws + 1, n_schemes)),
              delivered=np.empty((kept, n_schemes, n_years), dtype=np.float32) if kept else None)
    central_factor = 1 + inputs.priors.optimism[None, :, 1]
    central = money(layout, central_fraction(inputs), np.zeros((1, n_schemes), dtype=np.intp),
                    central_factor, out, 0)

    def random_block(first: int, last: int) -> Sums:
        frac = random_fraction(inputs, layout, keys, first, last)
        gap = random_gap(inputs, keys, first, last) if gap_uncertainty else None
        return money(layout, frac, random_delay(inputs, keys, first, last),
                     random_overrun(inputs, keys, first, last), out, first, gap)

    ranges = [(a, min(a + block, draws + 1)) for a in range(1, draws + 1, block)]
    workers = max(1, min(workers or WORKERS, os.cpu_count() or 1, len(ranges) or 1))
    sums: list[Sums] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for block_sums in pool.map(lambda r: random_block(*r), ranges):
            sums.append(block_sums)
            if progress:
                progress(len(sums), len(ranges))
    n = max(draws, 1)
    zeros = np.zeros_like(central.delivered)

    def scheme_year(total: np.ndarray) -> np.ndarray:  # (year, scheme) → (scheme, year)
        return np.ascontiguousarray(total.T)

    # block sums added in block order: the same for any number of threads
    return Run(residual=out.residual, net_horizon=out.net_horizon,
               delivered_central=scheme_year(central.delivered),
               cost_central=scheme_year(central.cost),
               delivered_mean=scheme_year(sum((s.delivered for s in sums), zeros) / n),
               cost_mean=scheme_year(sum((s.cost for s in sums), zeros) / n),
               gap_mean=(sum((s.gap for s in sums), np.zeros_like(inputs.gap)) / n
                         if sums else inputs.gap.copy()),
               delivered=out.delivered)
