"""What would it take to balance: for each footprint and England, the extra recurrent funding,
the extra years at the planned pace, or the scale-up of every saving with no new money, at
which P(balance) in the horizon year reaches each target — each with its Monte Carlo error.

Each answer is the root of q(x) = 0, where q is the target quantile of the residual gap over
the random draws when the lever is set to x: a share ``target`` of draws balance exactly when
that quantile is at or below £0. The draws are common random numbers (the same seed, keyed
by scheme), so q is a continuous, deterministic function of x and the root is found by
regula falsi (Illinois), not on a grid. For money that is certain the root has a closed form,
q(X) = quantile(residual) − X, so extra funding is that quantile itself; the years and the
savings scale-up are found numerically, the scale-up re-running the engine at each step
because a bigger plan asks more and the ambition curve marks it down.

The Monte Carlo error of a quantile comes from the distribution-free order-statistic interval
(the ranks n·t ± 1.96·sqrt(n·t·(1 − t))); a root's error is that divided by the slope of q at
the root. ``NaN`` means the target is not reached within the bracket (``MAX_YEARS`` years,
``MAX_SCALE`` times the plan): at this pace, or by savings alone, it does not balance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from openstp.risk.engine import run
from openstp.risk.inputs import Inputs
from openstp.risk.levers import keep_footprints, scale_savings
from openstp.risk.results import ENGLAND
from openstp.risk.tasks import Progress, Where, run_tasks

Z95 = 1.959964
MAX_YEARS = 30.0  # extra years searched at the planned pace
MAX_SCALE = 10.0  # savings scale-up searched, times the plan
LEVERS = ("extra_funding", "extra_years", "savings_scale")


def target_key(target: float) -> str:
    """``0.5`` → ``p50``, ``0.8`` → ``p80``: the suffix of each answer's column."""
    return f"p{round(target * 100):d}"


def quantile(x: np.ndarray, target: float) -> tuple[np.ndarray, np.ndarray]:
    """The level below which a share ``target`` of the draws of ``x`` (draw, unit) lie — the
    ceil(n·t)-th smallest, so that exactly that many draws balance once it is paid — and its
    standard error from the order-statistic 95% interval."""
    n = x.shape[0]
    s = np.sort(x, axis=0)
    k = min(max(int(np.ceil(target * n)) - 1, 0), n - 1)
    half = Z95 * np.sqrt(n * target * (1 - target))
    lo = min(max(int(np.floor(target * n - half)) - 1, 0), n - 1)
    hi = min(max(int(np.ceil(target * n + half)) - 1, 0), n - 1)
    return s[k], (s[hi] - s[lo]) / (2 * Z95)


@dataclass(frozen=True)
class Root:
    value: np.ndarray  # (unit,) NaN where the target is not reached in the bracket
    error: np.ndarray  # (unit,) Monte Carlo standard error of the root


def find_root(q: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], lo: float, hi: float,
              units: int, tol: float, iterations: int = 60) -> Root:
    """The x in [lo, hi] with q(x) = 0 for each unit, q non-increasing in x and evaluated for
    every unit at once (it returns the quantile and its error); Illinois regula falsi."""
    a, b = np.full(units, lo), np.full(units, hi)
    fa, _ = q(a)
    fb, _ = q(b)
    ga, gb = fa.copy(), fb.copy()  # true values at the ends (fa, fb get halved by Illinois)
    at_lo, never = fa <= 0, fb > 0
    side = np.zeros(units, dtype=np.int8)
    for _ in range(iterations):
        active = ~at_lo & ~never & (b - a > tol) & (fa != fb)
        if not active.any():
            break
        c = np.where(active, b - fb * (b - a) / np.where(fa != fb, fb - fa, 1.0), a)
        fc, _ = q(c)
        right = active & (fc > 0)  # the root lies above c
        left = active & ~right
        a, fa, ga = np.where(right, c, a), np.where(right, fc, fa), np.where(right, fc, ga)
        b, fb, gb = np.where(left, c, b), np.where(left, fc, fb), np.where(left, fc, gb)
        # Illinois: halve the end that stayed put twice, so the bracket closes on both sides
        fb = np.where(right & (side == 1), fb / 2, fb)
        fa = np.where(left & (side == -1), fa / 2, fa)
        side = np.where(right, 1, np.where(left, -1, side))
    root = np.where(ga == 0, a, np.where(gb == 0, b, b - gb * (b - a) / np.where(
        ga != gb, gb - ga, 1.0)))
    root = np.where(at_lo, lo, np.where(never, np.nan, root))
    _, err_q = q(np.where(np.isnan(root), lo, root))
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.abs((gb - ga) / (b - a))
        error = np.where(at_lo | never, np.where(never, np.nan, 0.0), err_q / slope)
    return Root(value=root, error=np.where(np.isfinite(error), error, np.nan))


def _horizon(inputs: Inputs, draws: int, seed: int, england: bool) -> np.ndarray:
    """(random draw, unit) residual gap in the horizon year: per footprint, or England's."""
    residual = run(inputs, draws, seed, workers=1).residual[1:, :, -1]
    return residual.sum(axis=1, keepdims=True) if england else residual


def funding_and_years(residual: np.ndarray, targets: Sequence[float]
                      ) -> dict[str, np.ndarray]:
    """P(balance) now, and the extra funding and extra years (with errors) for each target,
    from the random draws of a run's residual gap (draw, unit, year): no new runs needed."""
    now, last = residual[:, :, -1], residual[:, :, -2]
    pace = now - last  # each draw's change in the residual over the last year of the plan
    out: dict[str, np.ndarray] = {"probability_of_balance": (np.rint(now) <= 0).mean(axis=0)}
    for t in targets:
        key = target_key(t)
        money, money_err = quantile(now, t)
        out[f"extra_funding_{key}"] = np.maximum(money, 0.0)
        out[f"extra_funding_{key}_error"] = np.where(money > 0, money_err, 0.0)
        years = find_root(lambda k, t=t: quantile(now + k * pace, t), 0.0, MAX_YEARS,
                          now.shape[1], tol=1e-3)
        out[f"extra_years_{key}"], out[f"extra_years_{key}_error"] = years.value, years.error
    return out


def answer(inputs: Inputs, draws: int, seed: int, targets: Sequence[float],
           england: bool) -> dict[str, np.ndarray]:
    """Every lever's root and error for each target, per footprint or (``england``) for the
    footprints together with one common lever. Columns keyed ``<lever>_<pNN>[_error]``."""
    full = run(inputs, draws, seed, workers=1).residual[1:]  # (draw, footprint, year)
    if england:
        full = full.sum(axis=1, keepdims=True)
    out = funding_and_years(full, targets)
    units = full.shape[1]
    for t in targets:
        key = target_key(t)

        def scaled(s: np.ndarray, t: float = t) -> tuple[np.ndarray, np.ndarray]:
            factor = np.full(len(inputs.footprints), s[0]) if england else s
            return quantile(_horizon(scale_savings(inputs, factor), draws, seed, england), t)

        scale = find_root(scaled, 1.0, MAX_SCALE, units, tol=1e-4)
        out[f"savings_scale_{key}"], out[f"savings_scale_{key}_error"] = (scale.value,
                                                                          scale.error)
    return out


def chunk_task(inputs: Inputs, keep: list[int], draws: int, seed: int,
               targets: tuple[float, ...]) -> dict[str, np.ndarray]:
    """One Dask task: the footprints at ``keep``, each on its own."""
    return answer(keep_footprints(inputs, keep), draws, seed, targets, england=False)


def england_task(inputs: Inputs, draws: int, seed: int, targets: tuple[float, ...]
                 ) -> dict[str, np.ndarray]:
    """One Dask task: England, every footprint's draws summed, one lever for all."""
    return answer(inputs, draws, seed, targets, england=True)


def what_it_takes(inputs: Inputs, draws: int, seed: int, targets: Sequence[float] = (0.5, 0.8),
                  where: Where | None = None, progress: Progress | None = None
                  ) -> pd.DataFrame:
    """One row per footprint and one for England (``footprint='england'``): P(balance) now
    and, per target, each lever's root with its error; extra funding also as a share of the
    horizon year's allocation, and England's also as the sum of the footprints' own answers.

    Work runs as Dask tasks placed by ``where`` (footprints in chunks, England as one task);
    each footprint's answer depends only on its own draws, so the chunks and the number of
    workers do not change it.
    """
    where = where or Where(workers=0)
    targets = tuple(float(t) for t in targets)
    n = len(inputs.footprints)
    per_chunk = max(1, -(-n // max(2 * where.workers, 1)))
    chunks = [list(range(a, min(a + per_chunk, n))) for a in range(0, n, per_chunk)]
    england = n > 1

    arguments: list[tuple] = [(c, draws, seed, targets) for c in chunks]
    if england:
        arguments.append((None, draws, seed, targets))
    results = run_tasks(_dispatch, arguments, where, progress, shared=(inputs,))
    columns = {k: np.concatenate([r[k] for r in results[:len(chunks)]]) for k in results[0]}
    frame = pd.DataFrame({"footprint": inputs.footprints, "name": inputs.names,
                          "allocation": inputs.allocation[:, -1], **columns})
    if england:
        row = {"footprint": ENGLAND, "name": "England (all footprints in this run)",
               "allocation": inputs.allocation[:, -1].sum(),
               **{k: v[0] for k, v in results[-1].items()}}
        for t in targets:
            key = f"extra_funding_{target_key(t)}"
            row[f"{key}_sum"] = frame[key].sum()
            # at most: the footprints' errors added as if fully correlated (they share pressure)
            row[f"{key}_sum_error"] = frame[f"{key}_error"].sum()
        frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    for t in targets:
        key = f"extra_funding_{target_key(t)}"
        frame[f"{key}_share"] = frame[key] / frame["allocation"]
    return frame


def _dispatch(inputs: Inputs, keep: list[int] | None, draws: int, seed: int,
              targets: tuple[float, ...]) -> dict[str, np.ndarray]:
    """A task's body: a chunk of footprints, or (``keep`` None) England."""
    if keep is None:
        return england_task(inputs, draws, seed, targets)
    return chunk_task(inputs, keep, draws, seed, targets)


def funding_and_years_table(inputs: Inputs, residual: np.ndarray,
                            targets: Sequence[float] = (0.5, 0.8)) -> pd.DataFrame:
    """``what_it_takes`` without the savings scale-up, from a run's random draws of the
    residual gap (draw, footprint, year): one row per footprint and one for England. No new
    runs, so the review chain can carry it."""
    per = funding_and_years(residual, targets)
    england = funding_and_years(residual.sum(axis=1, keepdims=True), targets)
    allocation = inputs.allocation[:, -1]
    frame = pd.DataFrame({"footprint": [*inputs.footprints, ENGLAND],
                          "allocation": [*allocation, allocation.sum()],
                          **{k: np.append(v, england[k]) for k, v in per.items()}})
    for t in targets:
        key = f"extra_funding_{target_key(t)}"
        frame[f"{key}_share"] = frame[key] / frame["allocation"]
    return frame
