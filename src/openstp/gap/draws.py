"""The gap's own uncertainty, redrawn per Monte Carlo draw: non-demographic cost growth,
demographic growth, inflation and the opening position, each from its sourced range.

A parameter's low and high are its 10th and 90th percentiles (a two-piece normal around the
central value; a side with no sourced bound has no spread), clipped to its bounds. For draw d,
footprint f, sector s and year t, with z the risk model's counter-based normals (z = 0 gives
the central gap exactly):

    rate[d, s]  = quantile of gap.growth.non_demographic.<s> at z_growth[d]
    scale[d]    = quantile of gap.growth.demography.projection_scale at z_demography[d]
    error[d]    = quantile of gap.inflation.gdp_deflator_error at z_inflation[d]
    deficit[d]  = quantile of gap.opening.provider_underlying_deficit at z_opening[d]
    cost[d,f,s,t]  = (B + O + w[f,s] (deficit[d] − deficit)) (1 + scale[d] G[f,s,t])
                     (1 + rate[d,s])^t I[d,t]
    gap[d,f,t]     = Σ_s cost − F[f,s,t]   (F × I[d,t] / I[t] when funding is flat in real terms)

where G is the projected demographic growth (index − 1), w the share of England's provider
deficit each footprint's proxy part carries (0 where a plan states its own), and I the GDP
deflator index with ``error`` added to every year's growth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from openstp.gap.drivers import (
    DEFLATOR_ERROR,
    DEMOGRAPHY_SCALE,
    NON_DEMOGRAPHIC,
)
from openstp.gap.model import GapArrays
from openstp.params import Parameters

Z90 = float(ndtri(0.9))
SOURCES = ("growth", "demography", "inflation", "opening")
"""The gap's sources of uncertainty, one random stream each (``risk.rng``), in this order."""


def ranged(params: Parameters, path: str, year: str | None = None) -> np.ndarray:
    """(5,) low, central, high, minimum, maximum of a parameter (a missing side = central).

    A central value overridden outside its range (``--param`` gives no new low and high) is
    drawn at that value: the old range no longer describes it.
    """
    param = params[path]
    central = params.value(path, year)
    low = params.value(path, year, case="low") if param.low is not None else central
    high = params.value(path, year, case="high") if param.high is not None else central
    if not low <= central <= high:
        low = high = central
    bounds = (-np.inf if param.minimum is None else param.minimum,
              np.inf if param.maximum is None else param.maximum)
    return np.array([low, central, high, *bounds])


def quantile(z: np.ndarray, spec: np.ndarray) -> np.ndarray:
    """Values at standard normal scores ``z`` of the two-piece normal in ``spec`` (…, 5)."""
    low, central, high, lo, hi = (spec[..., i] for i in range(5))
    spread = np.where(z > 0, high - central, central - low) / Z90
    return np.clip(central + z * spread, lo, hi)


@dataclass(frozen=True)
class GapDraws:
    """What a set of footprints' gap is made of, to redraw it; arrays (f, s, y) unless noted."""

    cost_base: np.ndarray  # (f, s) base spend plus opening deficit, £
    deficit_weight: np.ndarray  # (f, s) £ of opening per £ of England's provider deficit
    growth: np.ndarray  # projected demographic growth at scale 1 (index − 1)
    funding: np.ndarray  # £ cash
    deflator_growth: np.ndarray  # (y,) central growth, 0 in the base year
    flat_real: bool
    rates: np.ndarray  # (s, 5) non-demographic growth: low, central, high, min, max
    scale: np.ndarray  # (5,) demographic scale
    error: np.ndarray  # (5,) deflator error
    deficit: np.ndarray  # (5,) England's provider deficit, £

    def gaps(self, z: np.ndarray) -> np.ndarray:
        """(draw, f, y) gap, all sectors, for normal scores ``z`` (draw, 4) in SOURCES order.

        Sectors are summed one by one with elementwise arithmetic, so no (draw, f, s, y) array
        is made and every draw is the same whatever the block size or the footprints run.
        """
        t = np.arange(self.funding.shape[2])
        rate = quantile(z[:, :1], self.rates[None])  # (d, s)
        scale = quantile(z[:, 1], self.scale)[:, None, None]  # (d, 1, 1)
        error = quantile(z[:, 2], self.error)
        shift = (quantile(z[:, 3], self.deficit) - self.deficit[1])[:, None, None]
        growth = np.where(t > 0, self.deflator_growth[None, :] - self.error[1] + error[:, None],
                          0.0)
        inflation = np.cumprod(1 + growth, axis=1)  # (d, y)
        real = (1 + rate[:, :, None]) ** t  # (d, s, y)
        cost = np.zeros((len(z), *self.funding.shape[::2]))  # (d, f, y)
        term = np.empty_like(cost)
        for s in range(self.funding.shape[1]):  # elementwise, in a fixed order: bit-for-bit
            np.multiply(scale, self.growth[None, :, s], out=term)
            term += 1
            term *= self.cost_base[None, :, s, None] + self.deficit_weight[None, :, s, None] * shift
            term *= real[:, None, s]
            cost += term
        cost *= inflation[:, None, :]
        funding = self.funding.sum(axis=1)[None]  # (1, f, y)
        if self.flat_real:
            central = np.cumprod(1 + np.where(t > 0, self.deflator_growth, 0.0))
            funding = funding * (inflation / central)[:, None, :]
        return cost - funding


def gap_draws(arrays: GapArrays, params: Parameters, rows: list[int]) -> GapDraws:
    """The pieces of ``arrays``' gap for footprint ``rows``, with ``params``' ranges."""
    d = arrays.drivers
    acute = arrays.sectors.index("acute")
    weight = np.zeros((len(rows), len(arrays.sectors)))
    weight[:, acute] = np.where(np.isnan(arrays.opening.own), arrays.opening.proxy_weight,
                                0.0)[rows]
    growth = ((arrays.demographic_index[rows] - 1) / d.demography_scale
              if d.demography_scale > 0 else np.zeros_like(arrays.demographic_index[rows]))
    base_year = arrays.years[0]
    return GapDraws(
        cost_base=arrays.cost_base[rows], deficit_weight=weight, growth=growth,
        funding=arrays.funding[rows], deflator_growth=d.deflator_growth, flat_real=d.flat_real,
        rates=np.array([ranged(params, NON_DEMOGRAPHIC.format(sector=s)) for s in arrays.sectors]),
        scale=ranged(params, DEMOGRAPHY_SCALE), error=ranged(params, DEFLATOR_ERROR),
        deficit=ranged(params, d.deficit_path, base_year if params[d.deficit_path].is_series
                       else None) * 1e9)
