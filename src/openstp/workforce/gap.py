"""The workforce gap: staff required against expected supply, over simulated futures.

    gap[d,f,g,y]    = required − supply  (positive: a shortfall)
    cost[d,f,g,y]   = (shortfall[y] − shortfall[base]) × £ per FTE × temporary cover rate
                      × agency share of cover × agency premium × GDP deflator index[y]

The base-year shortfall is already paid for in the base-year spend, so only its change is a new
cost; it is added to the financial gap of the group's setting (NHS groups only: no agency
evidence was found for social care). Draw 0 is the central case throughout.

A run simulates any footprints of a set, each plan's changes on its own footprint. Staff are
apportioned by shares of the whole set and every step is elementwise over footprints, so a
footprint's arrays are the same whichever other footprints and plans share the run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from openstp.defaults import CAPACITY_DRAWS, DEFAULT_SEED
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
    """Labelled arrays of one run: d draws, f footprints simulated, g groups (``GROUPS``), y years.

    ``plan_index`` and ``workforce_plan`` say which plan the run is read for (``for_plan``):
    its footprint's position in ``footprints`` and whether it has a workforce section.
    """

    footprints: list[str]
    years: list[str]
    in_post: np.ndarray  # (f, g) base-year staff in post
    vacancy_rate: np.ndarray  # (d, g) drawn base-year vacant share of posts
    required: np.ndarray  # (d, f, g, y)
    supply: np.ndarray  # (d, f, g, y)
    gap: np.ndarray  # (d, f, g, y) required − supply; positive is a shortfall
    agency_cost: np.ndarray  # (d, f, g, y) £ cash, change from the base year
    fte_per_pound: np.ndarray  # (d, g) base-year posts per £ of setting spend
    settings: Settings  # every footprint of the set
    gap_arrays: GapArrays  # every footprint of the set
    staff: StaffParams
    plan_index: int | None = None
    workforce_plan: str = "none"  # none | empty | present (see supply.has_workforce_plan)

    def for_plan(self, code: str, plan: Plan | None) -> WorkforceRun:
        """The same arrays read for the plan of footprint ``code`` (readiness reads this)."""
        return dataclasses.replace(self, plan_index=self.footprints.index(code),
                                   workforce_plan=supply.has_workforce_plan(plan))


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
                  draws: int = CAPACITY_DRAWS, seed: int = DEFAULT_SEED,
                  plans: Mapping[str, Plan] | None = None,
                  delivery: Mapping[str, np.ndarray] | None = None,
                  footprints: Sequence[str] | None = None,
                  funding: str = "sr2015") -> WorkforceRun:
    """Simulate staff required and supply for footprints of a set, each plan's on its own.

    ``footprints``: the codes to simulate, every footprint of the set by default. ``plans``
    ``{code: plan}`` (codes among ``footprints``). ``delivery`` ``{code: (draw, scheme, year)}``:
    the risk model's delivered share of each of that plan's schemes' planned saving; without
    it schemes deliver as planned in every draw.
    """
    arrays = compute_gap(footprint_set, params, years[0], years[1], funding)
    codes = list(arrays.footprints if footprints is None else footprints)
    # positions in the set; every footprint is a slice, a view that keeps the arrays' layout
    at = (slice(None) if footprints is None
          else np.array([arrays.footprints.index(c) for c in codes], dtype=np.intp))
    settings = settings_from_gap(arrays)
    staff = read_staff_params(params)
    d = draw_inputs(staff, params, draws, seed)
    national_posts = posts(staff.in_post, d.vacancy_rate)  # (d, g)
    in_post = apportion(staff.in_post, settings)[at]  # (f, g)
    required = demand.required_paths(apportion(national_posts, settings)[:, at],
                                      demand.activity_paths(settings, d.bed_day_growth, at))
    expected = supply.supply_paths(in_post, d.net_growth, len(arrays.years))
    per_pound = demand.staff_per_pound(national_posts, settings)
    if plans:
        need = _NeedInputs.of(arrays, params, staff, national_posts, footprint_set)
        for code, plan in plans.items():
            f = codes.index(code)
            required[:, f] += need.of_plan(plan, arrays, per_pound, (delivery or {}).get(code))
            immediate, training = supply.plan_actions(plan, arrays.years)
            if immediate.any() or training.any():  # no actions add nothing: skip adding zeros
                expected[:, f] += supply.added_staff(immediate, training, staff.training_lag,
                                                     d.leaver_rate, d.fill, d.completion)
    gap = required - expected
    return WorkforceRun(codes, arrays.years, in_post, d.vacancy_rate, required, expected, gap,
                        agency_cost(gap, staff, d, arrays.deflator), per_pound, settings,
                        arrays, staff)


@dataclass(frozen=True)
class _NeedInputs:
    """What every plan's change in staff need reads, found once per run."""

    ward: np.ndarray  # (d,) share of nursing posts that staff occupied acute beds
    occupancy: float  # annual mean occupancy of general and acute beds
    rn_per_bed: float  # ward nurse FTE per occupied bed
    reprovision: float  # community care re-provided per £ of hospital activity removed

    @classmethod
    def of(cls, arrays: GapArrays, params: Parameters, staff: StaffParams,
           national_posts: np.ndarray, footprint_set: str) -> _NeedInputs:
        """Beds and ward nursing of the set, from the bed model's baseline."""
        from openstp.beds.model import bed_inputs  # only plans need it; keeps scipy off import

        beds = bed_inputs(footprint_set, arrays.years, params)
        occupied = float(beds.base_beds.sum()) * beds.annual_occupancy
        rn = staff.ward_rn_fte_per_occupied_bed
        ward = demand.ward_share(national_posts[:, GROUPS.index(WARD_GROUP)], occupied, rn)
        return cls(ward, beds.annual_occupancy, rn, staff.community_reprovision_ratio)

    def of_plan(self, plan: Plan, arrays: GapArrays, per_pound: np.ndarray,
                delivery: np.ndarray | None) -> np.ndarray:
        """The plan's change in staff need in its footprint ``(d, g, y)``: schemes and beds."""
        delivered = demand.check_delivery(plan, delivery, arrays.years)
        schemes = demand.scheme_changes(plan, arrays.years, arrays.deflator, delivered,
                                        per_pound, self.ward, self.reprovision)
        return schemes + demand.bed_changes(plan, arrays.years, self.occupancy,
                                            self.rn_per_bed)[None]


def agency_cost(gap: np.ndarray, staff: StaffParams, d: Draws, deflator: np.ndarray
                ) -> np.ndarray:
    """Extra agency cost of the change in shortfall since the base year ``(d, f, g, y)``, £.

    Computed in place in one array of that shape: no other temporaries of its size.
    """
    nhs = np.array([g != "social_care" for g in GROUPS], dtype=float)
    rate = (d.cover * staff.agency_share_of_cover * d.premium)[:, None] * (staff.cost_per_fte
                                                                            * nhs)[None]
    out = np.maximum(gap, 0.0)  # (d, f, g, y) shortfall
    out -= out[..., :1].copy()  # its change since the base year
    out *= rate[:, None, :, None]
    out *= deflator
    out += 0.0  # no -0.0
    return out
