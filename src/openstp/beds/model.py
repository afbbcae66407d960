"""Beds needed against beds planned, per footprint and year, over simulated futures.

Baseline: each 2017 footprint's trusts' general and acute (G&A) beds and occupancy from NHS
England's winter 2016/17 sitrep (``beds.baseline``); where a trust made no return, or for other
footprint sets, England's KH03 beds apportioned by population weighted with the York inpatient
age–cost curve, and the footprint says so (``baseline_method``). Demand: base occupied beds ×
demographic index (the gap model's projection) × non-demographic growth (drawn per draw) × the
share left after simulated demand management. Capacity: the plan's bed changes on the baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from openstp import data
from openstp.beds.baseline import APPORTIONED, SITREP, sitrep_days, trust_baseline
from openstp.beds.occupancy import (
    WINTER_MONTHS,
    beds_required,
    daily_profile,
    day_months,
    day_types,
    full_risk,
    occupancy_measures,
    weekly_profile,
)
from openstp.defaults import ICB_SETS
from openstp.gap.demography import project_groups, weighted_population
from openstp.params import Parameters

P = "beds.capacity."
BASELINE_METHOD = (f"{SITREP}; where a trust made no return, {APPORTIONED} (each footprint's "
                   "baseline_method says which)")
STREAM_DEMAND, STREAM_WINTER = 201, 202


@dataclass(frozen=True)
class BedInputs:
    """Everything the bed simulation needs, per footprint (f) and year (y).

    Shared between callers (``bed_inputs`` builds each once): its arrays are read-only.
    """

    footprints: tuple[str, ...]
    years: tuple[str, ...]
    base_beds: np.ndarray  # (f,)
    base_occupied: np.ndarray  # (f,) mean occupied beds in the base year
    demographic_index: np.ndarray  # (f, y)
    pools: np.ndarray  # (f,) acute hospital sites: beds are not shared between them
    annual_occupancy: float
    pool_shares: np.ndarray  # (f, k) each pool's share of the footprint's beds (0 = no pool)
    baseline_method: tuple[str, ...]  # (f,) sitrep or apportioned, and why


@lru_cache(maxsize=8)
def _sites_per_footprint(footprint_set: str) -> pd.Series:
    """Acute hospital sites (Allen 2017 list) per footprint code of a set."""
    sites = data.table("hospital_sites")
    sites = sites[sites["acute_hospital_2017"] & sites["in_england"]]
    where = sites["nearest_lsoa"].map(data.lsoas().set_index("lsoa11cd")[footprint_set])
    return where.value_counts()


def acute_site_pools(footprint_set: str, footprints: Sequence[str]) -> np.ndarray:
    """Number of acute hospital sites (Allen 2017 list) per footprint: separate bed pools."""
    counts = _sites_per_footprint(footprint_set)
    return np.maximum(np.array([counts.get(f, 0) for f in footprints]), 1)


def equal_pool_shares(pools: np.ndarray) -> np.ndarray:
    """(footprint, pool) shares when each footprint's beds are split equally between its pools."""
    shares = np.zeros((len(pools), int(max(pools.max(), 1))))
    for f, k in enumerate(pools.astype(int)):
        shares[f, :k] = 1 / k
    return shares


def subset(inputs: BedInputs, codes: Sequence[str]) -> BedInputs:
    """The inputs of some footprints only (the England shares stay as computed)."""
    idx = [inputs.footprints.index(c) for c in codes]
    return BedInputs(tuple(codes), inputs.years, inputs.base_beds[idx],
                     inputs.base_occupied[idx], inputs.demographic_index[idx], inputs.pools[idx],
                     inputs.annual_occupancy, inputs.pool_shares[idx],
                     tuple(inputs.baseline_method[i] for i in idx))


def bed_inputs(footprint_set: str, years: Sequence[str], params: Parameters) -> BedInputs:
    """Apportion England's base-year beds and project demand with the inpatient cost curve.

    Built once per footprint set, years and values of the parameters it reads (a national review
    asks 45 times); the result is shared, so its arrays are read-only.
    """
    if footprint_set in ICB_SETS:
        from openstp.beds.icb import icb_bed_inputs

        return icb_bed_inputs(footprint_set, tuple(years),
                              params.value("gap.growth.demography.pre_projection"))
    base = years[0]
    monthly = params.series(P + "monthly_demand_factor")
    return _bed_inputs(footprint_set, tuple(years),
                       params.value("gap.growth.demography.pre_projection"),
                       tuple(monthly[f"{m:02d}"] for m in range(1, 13)),
                       params.value(P + "ga_occupancy_q4_england", base),
                       params.value(P + "ga_beds_england", base))


@lru_cache(maxsize=16)
def _bed_inputs(footprint_set: str, years: tuple[str, ...], pre_projection: float,
                monthly: tuple[float, ...], q4_occupancy: float,
                england_beds: float) -> BedInputs:
    """``bed_inputs`` from the parameter values it needs (hashable, so cached)."""
    groups = project_groups(footprint_set, years)
    weighted = weighted_population(groups, "inpatient", list(years), pre_projection)
    share = weighted[:, 0] / weighted[:, 0].sum()
    # KH03 gives occupancy in January-March; the year's mean is that over the Q4 seasonal factor.
    kh03_annual = q4_occupancy / np.mean(monthly[:3])
    sites = acute_site_pools(footprint_set, groups.footprints)
    trusts = trust_baseline(footprint_set, tuple(groups.footprints), sites)
    # the sitrep's winter days run hotter than the year: divide by their mean seasonal factor
    winter_factor = float(np.mean([monthly[d.month - 1] for d in sitrep_days()]))
    reported = ~np.isnan(trusts.beds)
    beds = np.where(reported, trusts.beds, england_beds * share)
    occupied = np.where(reported, trusts.occupied_winter / winter_factor, beds * kh03_annual)
    pools = (trusts.pool_shares > 0).sum(axis=1)
    arrays = [beds, occupied, weighted / weighted[:, :1], pools]
    for array in [*arrays, trusts.pool_shares]:
        array.setflags(write=False)
    return BedInputs(tuple(groups.footprints), years, *arrays,
                     float(occupied.sum() / beds.sum()), trusts.pool_shares, trusts.methods)


def demand_paths(inputs: BedInputs, params: Parameters, draws: int, seed: int,
                 dm_reduction: np.ndarray | None = None) -> np.ndarray:
    """Expected occupied beds (draw, footprint, year): draw 0 central, others with demand drawn.

    ``dm_reduction`` (draw, footprint, year) is the share of bed days removed by demand
    management as the risk model simulated its delivery (0 when absent).
    """
    rng = np.random.default_rng([seed, STREAM_DEMAND])
    central = params.value(P + "non_demographic_bed_day_growth")
    low = params.value(P + "non_demographic_bed_day_growth", case="low")
    high = params.value(P + "non_demographic_bed_day_growth", case="high")
    growth = rng.triangular(low, central, high, size=draws) if high > low else np.full(draws,
                                                                                        central)
    growth[0] = central
    t = np.arange(len(inputs.years))
    trend = (1 + growth[:, None]) ** t[None, :]  # (draw, year)
    expected = (inputs.base_occupied[None, :, None] * inputs.demographic_index[None]
                * trend[:, None, :])
    if dm_reduction is not None:
        expected = expected * (1 - dm_reduction)
    return expected


def simulate_capacity(inputs: BedInputs, expected: np.ndarray, planned_beds: np.ndarray,
                      params: Parameters, seed: int, target_occupancy: float | None = None,
                      progress: Callable[[int], None] | None = None) -> dict[str, np.ndarray]:
    """Run the daily occupancy model for every draw, footprint and year.

    ``planned_beds`` (footprint, year). Returns arrays (draw, footprint, year) of occupancy
    measures and beds required, plus the implied target occupancy of each footprint's pools.
    Occupancy is exact over the year's day types (``occupancy_measures``); only demand and the
    winter shock are drawn.
    """
    target = target_occupancy or params.value(P + "target_occupancy")
    risk = full_risk(target, int(params.value(P + "reference_pool_beds")))
    weekly = weekly_profile(params.value(P + "weekday_admission_share"),
                            params.value(P + "mean_length_of_stay"))
    profile = daily_profile(params.series(P + "monthly_demand_factor"), weekly)
    winter = np.isin(day_months(), WINTER_MONTHS)
    types = day_types(profile, winter)
    flag, critical = params.value(P + "pressure_threshold"), params.value(P + "critical_threshold")
    draws, n_fp, n_years = expected.shape
    shock_rng = np.random.default_rng([seed, STREAM_WINTER])
    shock = 1 + params.value(P + "winter_shock_sd") * shock_rng.standard_normal((draws, n_years))
    shock[0] = 1.0
    winter_expected = expected * shock[:, None, :]  # (draw, footprint, year)
    result: dict[str, np.ndarray] = {}
    for y in range(n_years):
        for f in range(n_fp):
            measures = occupancy_measures(expected[:, f, y], winter_expected[:, f, y],
                                          planned_beds[f, y], types, flag, critical)
            for key, value in measures.items():
                result.setdefault(key, np.empty(expected.shape))[:, f, y] = value
        if progress:
            progress(y)
    winter_mean = winter_expected * profile[winter].mean()  # (draw, footprint, year)
    result["beds_required"] = pooled_beds_required(winter_mean, inputs.pool_shares, risk)
    result["implied_target_occupancy"] = (expected[0] * profile[winter].mean()
                                          / result["beds_required"][0])
    return result


def pooled_beds_required(mean_occupied: np.ndarray, shares: np.ndarray, risk: float
                         ) -> np.ndarray:
    """Beds needed (draw, footprint, year) when each footprint's demand is split between its
    pools by ``shares`` (footprint, pool), each pool sized to be full on at most ``risk`` of days."""
    total = np.zeros(mean_occupied.shape)
    for k in range(shares.shape[1]):
        share = shares[:, k]  # (footprint,)
        if not (share > 0).any():
            continue
        need = beds_required(mean_occupied * share[None, :, None], 1, risk)
        total += np.where(share[None, :, None] > 0, need, 0.0)
    return total


def planned_beds(inputs: BedInputs, changes: pd.DataFrame | None = None) -> np.ndarray:
    """Beds available per footprint and year: baseline plus cumulative G&A bed changes.

    ``changes`` has columns footprint, year, change (beds; negative = closure).
    """
    beds = np.repeat(inputs.base_beds[:, None], len(inputs.years), axis=1)
    if changes is not None and len(changes):
        for row in changes.itertuples(index=False):
            f = inputs.footprints.index(row.footprint)
            beds[f, inputs.years.index(row.year):] += row.change
    return np.maximum(beds, 1.0)
