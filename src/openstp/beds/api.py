"""``openstp.beds(...)``: beds needed against beds planned, for notebooks and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from openstp import data
from openstp.beds.bedtest import bed_test, closure_footprint_rows
from openstp.beds.model import (
    P,
    bed_inputs,
    demand_paths,
    planned_beds,
    simulate_capacity,
    subset,
)
from openstp.defaults import CAPACITY_DRAWS, DEFAULT_SEED, ICB_SETS, ICB_YEARS
from openstp.gap.model import fy_years
from openstp.params import Parameters, builtin_parameters
from openstp.plan import Plan


@dataclass(frozen=True)
class BedsResult:
    """Tidy tables of a bed run: capacity by footprint × year, closures, England summary."""

    capacity: pd.DataFrame
    closures: pd.DataFrame
    england: dict[str, float | str]
    draws: int
    seed: int
    notes: list[str] = field(default_factory=list)


def _quantiles(values: np.ndarray) -> dict[str, np.ndarray]:
    q = np.quantile(values, [0.1, 0.5, 0.9], axis=0)
    return {"p10": q[0], "p50": q[1], "p90": q[2]}


def beds(footprints: str = "stp2017", *, plan: Plan | None = None,
         plans: Sequence[Plan] | None = None, footprint: str | None = None,
         draws: int = CAPACITY_DRAWS, seed: int = DEFAULT_SEED,
         target_occupancy: float | None = None,
         params: Parameters | None = None, dm_reduction: np.ndarray | None = None,
         progress: Callable[[int], None] | None = None) -> BedsResult:
    """Simulate bed demand and occupancy for plans, one footprint, or every footprint of a set.

    ``plan`` runs one plan (its assumptions apply); ``plans`` runs several (one per footprint,
    the global parameters apply). ``dm_reduction`` (draw, footprint, year): share of bed days
    removed by demand management as simulated by the risk model, footprints in the order run
    (the plans' order, or the set's); without it demand management removes nothing.
    """
    params = params or builtin_parameters()
    # without plans: the STPs' five years, or today's ICBs' (ICB_YEARS)
    base_year, horizon = ICB_YEARS if footprints in ICB_SETS else ("2015/16", "2020/21")
    if plan is not None:
        params = params.with_overrides(dict(plan.assumptions), source="plan assumptions")
        plans = [plan]
    if plans:
        footprints, base_year, horizon = plans[0].footprint_set, plans[0].base_year, plans[0].horizon
    years = fy_years(base_year, horizon)
    inputs = bed_inputs(footprints, years, params)
    england_inputs = inputs
    codes = ([data.resolve_footprint(p.footprint, footprints).code for p in plans] if plans
             else [data.resolve_footprint(footprint, footprints).code] if footprint else None)
    if codes is not None:
        inputs = subset(inputs, codes)
    changes = (pd.concat([closure_footprint_rows(p, c) for p, c in zip(plans, codes,
                                                                        strict=True)])
               if plans else None)
    planned = planned_beds(inputs, changes)
    expected = demand_paths(inputs, params, draws, seed, dm_reduction)
    sim = simulate_capacity(inputs, expected, planned, params, seed, target_occupancy, progress)
    capacity = _capacity_table(inputs, planned, sim, footprints)
    closures = pd.DataFrame()
    if plans:
        threshold = params.value(P + "bed_test_min_probability_safe")
        closures = pd.concat([bed_test(p, years, planned[f], sim["beds_required"][:, f, :],
                                       threshold).assign(footprint=codes[f])
                              for f, p in enumerate(plans)], ignore_index=True)
    return BedsResult(capacity, closures, _england(england_inputs), draws, seed,
                      [f"Baseline beds: {england_inputs.baseline_method}.",
                       "Demand management removes bed days only as the risk model simulates "
                       "its delivery." if dm_reduction is not None else
                       "No demand management applied: demand is do-nothing demand."])


def _capacity_table(inputs, planned: np.ndarray, sim: dict[str, np.ndarray],
                    footprint_set: str) -> pd.DataFrame:
    """One row per footprint × year (footprint-major): beds planned and required, occupancy."""
    names = data.footprints(footprint_set).set_index("code")["name"]
    n_fp, n_years = planned.shape
    required = _quantiles(sim["beds_required"])

    def mean(key: str) -> np.ndarray:
        # draws last and contiguous, so each mean sums its draws as a 1-D mean would
        return np.ascontiguousarray(np.moveaxis(sim[key], 0, -1)).mean(axis=-1).ravel()

    return pd.DataFrame({
        "footprint": np.repeat(inputs.footprints, n_years),
        "name": np.repeat(names.loc[list(inputs.footprints)].to_numpy(), n_years),
        "year": np.tile(inputs.years, n_fp),
        "beds_planned": np.round(planned).astype(int).ravel(),
        "beds_required_p10": required["p10"].ravel(),
        "beds_required_p50": required["p50"].ravel(),
        "beds_required_p90": required["p90"].ravel(),
        "p_enough_beds": (planned[None] >= sim["beds_required"]).mean(axis=0).ravel(),
        "mean_occupancy": mean("mean_occupancy"),
        "winter_occupancy": mean("winter_occupancy"),
        "days_above_92pct": mean("days_above_flag"),
        "days_above_95pct": mean("days_above_critical"),
        "p_no_bed_free_winter_day": mean("p_full_winter_day"),
        "bed_pools": np.repeat(inputs.pools.astype(int), n_years),
        "implied_target_occupancy": sim["implied_target_occupancy"].ravel(),
        "baseline_method": "apportioned",
    })


def _england(inputs) -> dict[str, float | str]:
    """England from demography alone: bed days and bed need from the base year to the horizon."""
    base = inputs.base_occupied.sum()
    horizon = (inputs.base_occupied * inputs.demographic_index[:, -1]).sum()
    growth = horizon / base - 1
    return {
        "base_year": inputs.years[0], "horizon": inputs.years[-1],
        "base_beds": float(inputs.base_beds.sum()),
        "base_mean_occupancy": inputs.annual_occupancy,
        "base_occupied_bed_days": float(base * 365),
        "horizon_occupied_bed_days_demography_only": float(horizon * 365),
        "demographic_growth": float(growth),
        "beds_needed_at_base_occupancy_demography_only": float(inputs.base_beds.sum()
                                                               * (1 + growth)),
        "explanation": (
            f"Demography alone (each footprint's population by age projected with ONS 2016-based "
            f"projections, weighted by the York inpatient cost curve) raises G&A bed days by "
            f"{growth:.1%} from {inputs.years[0]} to {inputs.years[-1]}: "
            f"{inputs.base_beds.sum() * growth:,.0f} more beds at base-year occupancy "
            f"({inputs.annual_occupancy:.1%})."),
    }
