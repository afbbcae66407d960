"""Read the workforce parameters into arrays over staff groups, and draw their uncertainty.

Every random number here comes from its own seeded stream, ``np.random.default_rng([seed,
STREAM])``, so workforce draws do not depend on other engines; draw 0 is always the central value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openstp.params import Parameters
from openstp.workforce.groups import GROUPS, param_prefix

STREAM_DEMAND = 301  # non-demographic hospital activity growth
STREAM_GROWTH = 302  # default net change in staff in post
STREAM_LEAVERS = 303  # leaver rates of staff a plan adds
STREAM_DELIVERY = 304  # plan fill rate and nursing completion
STREAM_VACANCIES = 305  # base-year vacancy rates
STREAM_COST = 306  # agency premium and temporary cover
STREAM_SOCIAL_CARE = 307  # delayed-discharge share and elasticity

CASES = ("low", "central", "high")


def ranged(params: Parameters, path: str, year: str | None = None) -> np.ndarray:
    """``[low, central, high]`` of one parameter (a missing bound is the central value)."""
    return np.array([params.value(path, year, case=c) for c in CASES])


def triangular(rng: np.random.Generator, bounds: np.ndarray, draws: int) -> np.ndarray:
    """Triangular draws over the last axis of ``bounds`` ``(..., 3)`` = low, mode, high.

    Returns ``(draws, ...)``; draw 0 is the mode. Zero-width ranges give the constant; a
    central value overridden outside its sourced range widens the range to include it.
    """
    low, mode, high = (np.asarray(bounds, dtype=float)[..., i] for i in range(3))
    low, high = np.minimum(low, mode), np.maximum(high, mode)
    u = rng.random((draws, *low.shape))
    width = high - low
    split = np.divide(mode - low, width, out=np.zeros_like(width, dtype=float), where=width > 0)
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1 - u) * width * (high - mode))
    out = np.where(u < split, left, right)
    out[0] = mode
    return out


@dataclass(frozen=True)
class StaffParams:
    """Per-group parameters (arrays over ``GROUPS``): ranges are ``(group, 3)`` low/central/high."""

    in_post: np.ndarray  # (g,) FTE in the base year
    vacancy_rate: np.ndarray  # (g, 3)
    net_growth: np.ndarray  # (g, 3)
    leaver_rate: np.ndarray  # (g, 3)
    training_lag: np.ndarray  # (g,) whole years
    nursing_completion: np.ndarray  # (3,)
    plan_fill_rate: np.ndarray  # (3,)
    agency_premium: np.ndarray  # (3,)
    vacancy_cover_rate: np.ndarray  # (3,)
    agency_share_of_cover: float
    cost_per_fte: np.ndarray  # (g,) £ base-year cash; social care at its own wage
    ward_rn_fte_per_occupied_bed: float
    community_reprovision_ratio: float
    min_probability_staffed: float


def read_staff_params(params: Parameters) -> StaffParams:
    """Everything the workforce engine needs from the parameter tree, by group."""
    def per_group(name: str) -> np.ndarray:
        return np.array([ranged(params, param_prefix(g) + name) for g in GROUPS])

    nhs_cost = params.value("workforce.cost.cost_per_fte")
    hours = params.value("workforce.demand.ward_rn_hours_per_patient_day")
    week = params.value("workforce.demand.fte_hours_per_week")
    return StaffParams(
        in_post=np.array([params.value(param_prefix(g) + "in_post") for g in GROUPS]),
        vacancy_rate=per_group("vacancy_rate"),
        net_growth=per_group("net_growth"),
        leaver_rate=per_group("leaver_rate"),
        training_lag=np.array([int(params.value(param_prefix(g) + "training_lag"))
                               for g in GROUPS]),
        nursing_completion=ranged(params, "workforce.flows.nursing_completion"),
        plan_fill_rate=ranged(params, "workforce.flows.plan_fill_rate"),
        agency_premium=ranged(params, "workforce.cost.agency_premium"),
        vacancy_cover_rate=ranged(params, "workforce.cost.vacancy_cover_rate"),
        agency_share_of_cover=params.value("workforce.cost.agency_share_of_cover"),
        cost_per_fte=np.array([params.value("social_care.workforce.cost_per_fte")
                               if g == "social_care" else nhs_cost for g in GROUPS]),
        # hours per occupied bed-day x 7 days / hours in an FTE week = FTE per occupied bed
        ward_rn_fte_per_occupied_bed=hours * 7 / week,
        community_reprovision_ratio=params.value("workforce.demand.community_reprovision_ratio"),
        min_probability_staffed=params.value("workforce.readiness.min_probability_staffed"),
    )


def stream(seed: int, stream_id: int) -> np.random.Generator:
    """The workforce engine's independent generator for one stream."""
    return np.random.default_rng([seed, stream_id])
