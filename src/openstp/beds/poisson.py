"""Poisson distribution sums for the bed model, exact to a stated error and fast.

The bed model needs, for every draw, footprint and year, sums over the year's day types of the
Poisson CDF ``F(k; λ)`` at a few fixed integers ``k`` (the thresholds of that footprint and year)
while ``λ = level × factor`` varies with the draw's demand ``level`` and the day type's ``factor``.
Calling ``scipy.special.pdtr`` on every (draw, day type) point is exact but slow, so the sums are
built in two interpolation steps, each with a proven error bound. Both rest on one bound: the
derivatives of F in λ are differences in k of the pmf (``∂F/∂λ = −pmf(k)``, ``∂ⁿF/∂λⁿ =
−∇ⁿ⁻¹pmf(k)``), and ``|∂⁶F/∂λ⁶| ≤ min(32, C6/λ³)`` for every k, with ``C6 = 3.4``: the supremum of
``λ³|∇⁵pmf|`` over k is 3.30, reached near λ = 2.2, and tends to max|He₅(z)φ(z)| = 2.31 as λ
grows (checked over λ ∈ [0.01, 10⁵] in the tests); 32 bounds a difference of 32 pmf values.

1. **λ-table** (per call): ``F(k; λ)`` and its first two derivatives, all exact, on a uniform λ
   grid spanning every point; quintic Hermite interpolation between nodes errs by at most
   ``h⁶/46080 · max|∂⁶F/∂λ⁶|``, and the spacing, chosen from the table's smallest λ, keeps that
   below ``TOLERANCE``.
2. **level grid** (per group of day types): each sum ``S(g) = Σ_t w_t F(k; g·p_t)`` is a smooth
   function of the level ``g`` alone; it is evaluated (through step 1) on a uniform grid of levels
   and interpolated at the draws through 6 neighbouring nodes (Lagrange). That errs by at most
   ``16.91 h⁶/720 · max|S⁽⁶⁾|`` with ``|S⁽⁶⁾| ≤ Σw · max_t p_t⁶ |∂⁶F/∂λ⁶|(g·p_t)``, kept below
   ``TOLERANCE`` per unit weight; the step-1 errors at the nodes are amplified at most by the
   stencil's Lebesgue constant, 3.11. When the grid would have as many nodes as there are draws,
   the draws are evaluated directly instead.

Every sum is therefore within ``(3.11 + 1) × TOLERANCE`` (≈ 4·10⁻⁹) of its exact value per unit
weight: a probability or occupancy over days is off by less than that, a count of days by less
than 365 times that.
"""

from __future__ import annotations

import numpy as np

TOLERANCE = 1e-9  # error allowed per interpolation step, per unit weight: far below anything shown
C6 = 3.4  # bound on λ³·|∂⁶F/∂λ⁶| over all k and λ (see the module docstring)
TRIVIAL_C6 = 32.0  # |∂⁶F/∂λ⁶| = |∇⁵pmf| is a difference of 32 pmf values, each at most 1
HERMITE_ERROR = 46080  # quintic Hermite on [a, b]: |error| ≤ h⁶/46080 · max|f⁽⁶⁾|
STENCIL = 6  # nodes of each level-grid interpolation
STENCIL_OMEGA = 16.91  # max over [0, 5] of |Π (u − j)|, j = 0..5: the error constant
STENCIL_LEBESGUE = 3.11  # max over [0, 5] of Σ_j |l_j(u)|: how much node errors can grow


def _sixth_derivative_bound(lam: np.ndarray | float) -> np.ndarray:
    """Upper bound on |∂⁶F(k; λ)/∂λ⁶| for every k and every λ' ≥ ``lam``."""
    lam = np.asarray(lam, dtype=float)
    with np.errstate(divide="ignore"):
        return np.minimum(TRIVIAL_C6, C6 / lam**3)


def _pmf(k: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Poisson pmf by logs (exact to rounding; xlogy keeps λ = 0 finite); 0 for k < 0."""
    from scipy.special import gammaln, xlogy

    kk = np.maximum(k, 0)
    return np.exp(xlogy(kk, lam) - lam - gammaln(kk + 1)) * (k >= 0)


class _HermiteTable:
    """``F(k; λ)`` for several ``k`` on a λ grid, as a quintic per interval (Hermite)."""

    def __init__(self, ks: np.ndarray, lo: float, hi: float):
        from scipy.special import pdtr

        self.lo = lo
        bound = float(_sixth_derivative_bound(lo))
        self.step = h = (HERMITE_ERROR * TOLERANCE / bound) ** (1 / 6)
        nodes = lo + h * np.arange(max(2, int(np.ceil((hi - lo) / h)) + 1))
        kk, lam = ks.astype(float)[:, None], nodes[None, :]  # (k, node)
        pmf = _pmf(kk, lam)
        value = np.where(kk >= 0, pdtr(np.maximum(kk, 0), lam), 0.0)  # F(−1; λ) = 0
        slope = -pmf * h  # dF/ds with s in grid steps
        curve = (pmf - _pmf(kk - 1, lam)) * h * h  # d²F/ds²
        f0, d0, d1 = value[:, :-1], slope[:, :-1], slope[:, 1:]
        e0, e1, jump = curve[:, :-1], curve[:, 1:], value[:, 1:] - value[:, :-1]
        # (power of s, k, interval): the quintic matching value, slope and curvature at both ends
        self.coef = np.stack([f0, d0, e0 / 2,
                              10 * jump - 6 * d0 - 4 * d1 - (3 * e0 - e1) / 2,
                              -15 * jump + 8 * d0 + 7 * d1 + (3 * e0 - 2 * e1) / 2,
                              6 * jump - 3 * d0 - 3 * d1 - (e0 - e1) / 2])

    def __call__(self, lam: np.ndarray) -> np.ndarray:
        """(k, point): F at each λ (any λ inside the table's range)."""
        x = (lam - self.lo) / self.step
        i = np.minimum(x.astype(np.intp), self.coef.shape[2] - 1)
        s = x - i
        c = np.take(self.coef, i, axis=2)  # (power, k, point)
        out = c[5]
        for power in range(4, -1, -1):
            out = out * s + c[power]
        return out


_OFFSETS = np.arange(STENCIL)
# Π_{m≠j} (j − m): the denominators of the Lagrange basis l_j(u) = Π_{m≠j} (u − m)/(j − m)
_DENOMINATORS = np.array([np.prod([j - m for m in _OFFSETS if m != j]) for j in _OFFSETS])


def _lagrange_weights(u: np.ndarray) -> np.ndarray:
    """(point, node): weights of nodes 0..5 for the quintic through them, at ``u`` ∈ [0, 5]."""
    factors = u[:, None] - _OFFSETS  # (point, node): u − m
    ones = np.ones((len(u), 1))
    before = np.cumprod(np.hstack([ones, factors[:, :-1]]), axis=1)  # Π_{m<j} (u − m)
    after = np.cumprod(np.hstack([ones, factors[:, :0:-1]]), axis=1)[:, ::-1]  # Π_{m>j}
    return before * after / _DENOMINATORS


def _level_grid(levels: np.ndarray, factors: np.ndarray) -> np.ndarray | None:
    """Uniform grid of levels over which to interpolate the sums, or None if not worth it."""
    lo, hi = float(levels.min()), float(levels.max())
    bound = float((factors**6 * _sixth_derivative_bound(lo * factors)).max())
    step = (720 * TOLERANCE / (STENCIL_OMEGA * bound)) ** (1 / 6)
    count = max(STENCIL, int(np.ceil((hi - lo) / step)) + 1)
    return lo + step * np.arange(count) if count < len(levels) else None


def cdf_sums(groups: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
             ks: np.ndarray) -> list[np.ndarray]:
    """Sums of Poisson CDFs over day types, for several groups of day types sharing thresholds.

    Each group is ``(levels, factors, weights)``: levels (draw,) ≥ 0, factors (type,) > 0,
    weights (type, w). Returns per group an array (k, draw, w) of
    ``Σ_t weights[t, w] · F(ks[k]; levels[draw] · factors[t])``, within the module's error bound.
    """
    ks = np.asarray(ks)
    grids = [None if len(p) == 0 else _level_grid(g, p) for g, p, _ in groups]
    nodes = [g if grid is None else grid for (g, _, _), grid in zip(groups, grids, strict=True)]
    points = [np.outer(n, p).ravel() for n, (_, p, _) in zip(nodes, groups, strict=True)]
    every = np.concatenate(points)
    table = _HermiteTable(ks, float(every.min()), float(every.max())) if len(every) else None
    out = []
    for (levels, factors, weights), grid, node, pts in zip(groups, grids, nodes, points,
                                                           strict=True):
        if len(factors) == 0:
            out.append(np.zeros((len(ks), len(levels), weights.shape[1])))
            continue
        values = table(pts).reshape(len(ks) * len(node), len(factors))  # (k × node, type)
        sums = (values @ weights).reshape(len(ks), len(node), -1)  # (k, node, w)
        if grid is not None:
            x = (levels - grid[0]) / (grid[1] - grid[0])
            first = np.clip(x.astype(np.intp) - STENCIL // 2 + 1, 0, len(grid) - STENCIL)
            lagrange = _lagrange_weights(x - first)  # (draw, node of the stencil)
            by_node = np.ascontiguousarray(sums.transpose(1, 0, 2))  # (node, k, w)
            rows = np.take(by_node, first[:, None] + _OFFSETS, axis=0)  # (draw, stencil, k, w)
            sums = np.einsum("dj,djkw->kdw", lagrange, rows)
        out.append(sums)
    return out


def poisson_isf(q: float, mu: np.ndarray) -> np.ndarray:
    """``scipy.stats.poisson.isf(q, mu)`` for 0 < q < 1 and mu ≥ 0 (any shape), as floats.

    The answer at ``mu`` is the smallest integer ``j`` with ``pdtr(j, mu) ≥ 1 − q`` (scipy finds it
    with ``pdtrik`` and checks it with ``pdtr``). It rises with ``mu``, so rather than search
    every ``mu``, the sorted ``mu`` are bisected, for every ``j`` in the range of answers, for
    the first one whose answer exceeds ``j`` — the same ``pdtr`` comparisons, far fewer of them.
    """
    from scipy.special import ndtri, pdtr

    shape = np.shape(mu)
    mu = np.asarray(mu, dtype=float).ravel()
    if mu.size == 0:
        return mu.reshape(shape)
    p = 1.0 - q
    order = np.argsort(mu, kind="stable")
    ordered = mu[order]
    # Cornish–Fisher quantile with continuity correction: usually exact, always close
    z = ndtri(p)
    ends = ordered[[0, -1]]
    guess = np.ceil(ends + z * np.sqrt(ends) + (z * z - 1) / 6 - 0.5)
    low, high = max(guess[0] - 2, 0.0), guess[1] + 2
    while low > 0 and pdtr(low - 1, ordered[0]) >= p:  # widen until every answer is in range
        low = max(low - 8, 0.0)
    while pdtr(high, ordered[-1]) < p:
        high += 8
    js = np.arange(low, high)
    first = np.zeros(len(js), dtype=np.intp)  # first index whose answer exceeds j
    last = np.full(len(js), len(ordered))
    while (first < last).any():
        mid = (first + last) // 2
        above = pdtr(js, ordered[np.minimum(mid, len(ordered) - 1)]) < p
        above &= first < last
        last = np.where(above, mid, last)
        first = np.where(above | (first >= last), first, mid + 1)
    answers = low + np.cumsum(np.bincount(first, minlength=len(ordered) + 1))[:-1]
    out = np.empty_like(mu)
    out[order] = answers
    return out.reshape(shape)
