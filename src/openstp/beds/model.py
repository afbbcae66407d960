"""Beds needed against beds planned, per footprint and year, over simulated futures.

Baseline: England's KH03 general and acute (G&A) beds and occupancy, apportioned to footprints by
population weighted with the York inpatient age–cost curve (no trust-level bed counts for 2015-17
are shipped, so every footprint's baseline says ``apportioned``). Demand: base occupied beds ×
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
BASELINE_METHOD = ("England KH03 G&A beds apportioned by inpatient-cost-weighted population "
                   "(no trust bed counts for the period are shipped)")
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
    baseline_method: str = BASELINE_METHOD  # how base_beds were found


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


def subset(inputs: BedInputs, codes: Sequence[str]) -> BedInputs:
    """The inputs of some footprints only (the England shares stay as computed)."""
    idx = [inputs.footprints.index(c) for c in codes]
    return BedInputs(tuple(codes), inputs.years, inputs.base_beds[idx],
                     inputs.base_occupied[idx], inputs.demographic_index[idx], inputs.pools[idx],
                     inputs.annual_occupancy, inputs.baseline_method)


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
                       tuple(monthly[m] for m in ("01", "02", "03")),
                       params.value(P + "ga_occupancy_q4_england", base),
                       params.value(P + "ga_beds_england", base))


@lru_cache(maxsize=16)
def _bed_inputs(footprint_set: str, years: tuple[str, ...], pre_projection: float,
                q4_monthly: tuple[float, ...], q4_occupancy: float,
                england_beds: float) -> BedInputs:
    """``bed_inputs`` from the parameter values it needs (hashable, so cached)."""
    groups = project_groups(footprint_set, years)
    weighted = weighted_population(groups, "inpatient", list(years), pre_projection)
    share = weighted[:, 0] / weighted[:, 0].sum()
    # KH03 gives occupancy in January-March; the year's mean is that over the Q4 seasonal factor.
    annual = q4_occupancy / np.mean(q4_monthly)
    beds = england_beds * share
    arrays = [beds, beds * annual, weighted / weighted[:, :1],
              acute_site_pools(footprint_set, groups.footprints)]
    for array in arrays:
        array.setflags(write=False)
    return BedInputs(tuple(groups.footprints), years, *arrays, float(annual))


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
    result["beds_required"] = beds_required(winter_mean, inputs.pools[None, :, None], risk)
    result["implied_target_occupancy"] = (expected[0] * profile[winter].mean()
                                          / result["beds_required"][0])
    return result


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
