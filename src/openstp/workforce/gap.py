"""The workforce gap: staff required against expected supply, over simulated futures.

    gap[d,f,g,y]    = required − supply  (positive: a shortfall)
    cost[d,f,g,y]   = (shortfall[y] − shortfall[base]) × £ per FTE × temporary cover rate
                      × agency share of cover × agency premium × GDP deflator index[y]

The base-year shortfall is already paid for in the base-year spend, so only its change is a new
cost; it is added to the financial gap of the group's setting (NHS groups only: no agency
evidence was found for social care). Draw 0 is the central case throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openstp.defaults import DEFAULT_SEED
from openstp.gap import GapArrays, compute_gap
from openstp.params import Parameters
from openstp.plan import Plan
from openstp.workforce import demand, supply
from openstp.workforce.baseline import Settings, apportion, posts, settings_from_gap
from openstp.workforce.groups import GROUPS, WARD_GROUP
from openstp.workforce.inputs import (
    STREAM_COST,
    STREAM_DELIVERY,
    STREAM_DEMAND,
    STREAM_GROWTH,
    STREAM_LEAVERS,
    STREAM_VACANCIES,
    StaffParams,
    ranged,
    read_staff_params,
    stream,
    triangular,
)

BED_DAY_GROWTH = "beds.capacity.non_demographic_bed_day_growth"


@dataclass(frozen=True)
class WorkforceRun:
    """Labelled arrays of one run: d draws, f footprints, g groups (``GROUPS``), y years."""

    footprints: list[str]
    years: list[str]
    in_post: np.ndarray  # (f, g) base-year staff in post
    vacancy_rate: np.ndarray  # (d, g) drawn base-year vacant share of posts
    required: np.ndarray  # (d, f, g, y)
    supply: np.ndarray  # (d, f, g, y)
    agency_cost: np.ndarray  # (d, f, g, y) £ cash, change from the base year
    fte_per_pound: np.ndarray  # (d, g) base-year posts per £ of setting spend
    settings: Settings
    gap_arrays: GapArrays
    staff: StaffParams
    plan_index: int | None
    workforce_plan: str  # none | empty | present (see supply.has_workforce_plan)

    @property
    def gap(self) -> np.ndarray:
        """Required minus supply ``(d, f, g, y)``; positive is a shortfall."""
        return self.required - self.supply


@dataclass(frozen=True)
class Draws:
    """The uncertain inputs, one row per draw (draw 0 central)."""

    bed_day_growth: np.ndarray  # (d,)
    vacancy_rate: np.ndarray  # (d, g)
    net_growth: np.ndarray  # (d, g)
    leaver_rate: np.ndarray  # (d, g)
    fill: np.ndarray  # (d,)
    completion: np.ndarray  # (d, g)
    premium: np.ndarray  # (d,)
    cover: np.ndarray  # (d,)


def draw_inputs(staff: StaffParams, params: Parameters, draws: int, seed: int) -> Draws:
    """Draw every uncertain workforce input from its own seeded stream (triangular ranges)."""
    delivery = stream(seed, STREAM_DELIVERY)
    cost = stream(seed, STREAM_COST)
    return Draws(
        bed_day_growth=triangular(stream(seed, STREAM_DEMAND), ranged(params, BED_DAY_GROWTH),
                                  draws),
        vacancy_rate=triangular(stream(seed, STREAM_VACANCIES), staff.vacancy_rate, draws),
        net_growth=triangular(stream(seed, STREAM_GROWTH), staff.net_growth, draws),
        leaver_rate=triangular(stream(seed, STREAM_LEAVERS), staff.leaver_rate, draws),
        fill=triangular(delivery, staff.plan_fill_rate, draws),
        completion=supply.completion_by_group(
            triangular(delivery, staff.nursing_completion, draws)),
        premium=triangular(cost, staff.agency_premium, draws),
        cover=triangular(cost, staff.vacancy_cover_rate, draws),
    )


def run_workforce(footprint_set: str, params: Parameters, years: tuple[str, str], *,
                  draws: int = 1000, seed: int = DEFAULT_SEED, plan: Plan | None = None,
                  plan_footprint: str | None = None, delivery: np.ndarray | None = None,
                  funding: str = "sr2015") -> WorkforceRun:
    """Simulate staff required and supply for every footprint of a set (and a plan's changes).

    ``delivery`` (draw, scheme, year): the risk model's delivered share of each scheme's planned
    saving; without it schemes deliver as planned in every draw.
    """
    arrays = compute_gap(footprint_set, params, years[0], years[1], funding)
    settings = settings_from_gap(arrays)
    staff = read_staff_params(params)
    d = draw_inputs(staff, params, draws, seed)
    n_years = len(arrays.years)
    national_posts = posts(staff.in_post, d.vacancy_rate)  # (d, g)
    in_post = apportion(staff.in_post, settings)  # (f, g)
    required = demand.required_paths(apportion(national_posts, settings),
                                      demand.activity_paths(settings, d.bed_day_growth))
    expected = supply.supply_paths(in_post, d.net_growth, n_years)
    per_pound = demand.staff_per_pound(national_posts, settings)
    index = None
    if plan is not None and plan_footprint is not None:
        index = arrays.footprints.index(plan_footprint)
        required[:, index] += _plan_need(plan, arrays, params, staff, national_posts,
                                         per_pound, delivery, footprint_set)
        immediate, training = supply.plan_actions(plan, arrays.years)
        expected[:, index] += supply.added_staff(immediate, training, staff.training_lag,
                                                 d.leaver_rate, d.fill, d.completion)
    cost = agency_cost(required, expected, staff, d, arrays.deflator)
    return WorkforceRun(arrays.footprints, arrays.years, in_post, d.vacancy_rate, required,
                        expected, cost, per_pound, settings, arrays, staff, index,
                        supply.has_workforce_plan(plan))


def _plan_need(plan: Plan, arrays: GapArrays, params: Parameters, staff: StaffParams,
               national_posts: np.ndarray, per_pound: np.ndarray,
               delivery: np.ndarray | None, footprint_set: str) -> np.ndarray:
    """The plan's change in staff need in its footprint ``(d, g, y)``: schemes and bed changes."""
    from openstp.beds.model import bed_inputs  # only plans need it; keeps scipy off import

    beds = bed_inputs(footprint_set, arrays.years, params)
    occupied = float(beds.base_beds.sum()) * beds.annual_occupancy
    rn = staff.ward_rn_fte_per_occupied_bed
    ward = demand.ward_share(national_posts[:, GROUPS.index(WARD_GROUP)], occupied, rn)
    delivered = demand.check_delivery(plan, delivery, arrays.years)
    schemes = demand.scheme_changes(plan, arrays.years, arrays.deflator, delivered, per_pound,
                                    ward, staff.community_reprovision_ratio)
    return schemes + demand.bed_changes(plan, arrays.years, beds.annual_occupancy, rn)[None]


def agency_cost(required: np.ndarray, expected: np.ndarray, staff: StaffParams, d: Draws,
                deflator: np.ndarray) -> np.ndarray:
    """Extra agency cost of the change in shortfall since the base year ``(d, f, g, y)``, £."""
    shortfall = np.maximum(required - expected, 0.0)
    change = shortfall - shortfall[..., :1]
    nhs = np.array([g != "social_care" for g in GROUPS], dtype=float)
    rate = (d.cover * staff.agency_share_of_cover * d.premium)[:, None] * (staff.cost_per_fte
                                                                            * nhs)[None]
    return change * rate[:, None, :, None] * deflator[None, None, None, :] + 0.0  # no -0.0
