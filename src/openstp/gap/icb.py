"""The do-nothing gap of today's ICBs (``icb2023``, ``icb2026``): the same arrays as the STP-era
model, built from the ICB series instead of the 2016 ones.

For ICB f, sector s and year t (base year 0), all £ cash:
    funding[f, s, t] = A[f, t] × split[s]   A = f's allocation (``icb_allocations``: target
                       share × the national ICB total) or the plan's own; split = the sector's
                       share of what ICBs commission (``gap.baseline.sector_share`` over the
                       ICB sectors, renormalised: specialised care, public health and social
                       care are outside the ICB total and have no spend here)
    cost[f, s, t]    = (funding[f, s, 0] + opening deficit in acute) × need[f, s, t]
                       × (1 + ``gap.growth.non_demographic.<s>``)^t × deflator[t]
    need[f, s, t]    = England's cost-weighted population growth (ONS 2016-based projections)
                       × f's share of England's NHS England weighted population on its base-year
                       share (``data.icb.sector_need_growth``; held at 2028/29 after)
    deficit support  = f's 2025/26 support × ``icb.opening.deficit_support_remaining``[t],
                       paid on top of the allocation (it is gone by 2028/29)
The deflator is ``icb.funding.gdp_deflator_index`` rebased to the base year, grown after 2028/29
by ``icb.funding.gdp_deflator_growth_after_2028_29``. The opening deficit is the system's
reported or apportioned position before support (``icb_series.opening_positions``), so a
base year starts with allocation + support − spend = the reported position after support.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from openstp.data import icb as icb_data
from openstp.errors import ParameterError, problem
from openstp.gap.drivers import (
    DEMOGRAPHY_SCALE,
    EFFICIENCY,
    NON_DEMOGRAPHIC,
    PRE_PROJECTION,
    PRE_PROJECTION_SOCIAL_CARE,
    SECTOR_SHARE,
    WORKING_AGE_SHARE,
    Drivers,
)
from openstp.gap.opening import Opening
from openstp.gap.sectors import SECTOR_NAMES
from openstp.params import Parameters, icb_series

ICB_SECTORS = ("acute", "mental_health", "community", "primary_care", "prescribing", "other_nhs")
"""Sectors inside the ICB allocation; the rest (specialised, public health, social care) have
no ICB series and are left out of an ICB's gap (zero), not guessed."""
DEFLATOR = "icb.funding.gdp_deflator_index"
DEFLATOR_AFTER = "icb.funding.gdp_deflator_growth_after_2028_29"
SUPPORT_REMAINING = "icb.opening.deficit_support_remaining"
BUDGET_AFTER = "icb.funding.real_growth_after_2028_29"
OPENING_DEFICIT = "icb.opening.national.planned_deficit_before_support_2025_26"
METHOD = ("ONS 2016-based projections for England (cost-weighted) x the ICB's share of NHS "
          "England's weighted population, relative to the base year (held after 2028/29)")


@dataclass(frozen=True)
class IcbOwn:
    """An ICB plan's own figures, each replacing the built-in one: allocation by year (£ cash)
    and the 2025/26 deficit support (£)."""

    allocation: Mapping[str, float] = field(default_factory=dict)
    deficit_support: float | None = None


def own_figures(plans, codes: list[str]) -> dict[str, IcbOwn]:
    """Each plan's own ICB figures by footprint code (plans giving none are left out)."""
    return {code: IcbOwn(dict(p.icb.allocation), p.icb.deficit_support)
            for p, code in zip(plans, codes, strict=True) if p.icb is not None}


def sector_split(params: Parameters) -> np.ndarray:
    """(s,) each sector's share of the ICB total: the ICB sectors' shares of NHS England spend
    (``gap.baseline.sector_share``), renormalised to 1; 0 for sectors outside the ICB total."""
    raw = np.array([params.value(SECTOR_SHARE.format(sector=s)) if s in ICB_SECTORS else 0.0
                    for s in SECTOR_NAMES])
    return raw / raw.sum()


def deflator_index(params: Parameters, years: list[str]) -> np.ndarray:
    """(y,) GDP deflator (price level), 1 in the base year: published to 2028/29, assumed after.

    ``icb.funding.gdp_deflator_index`` is the real-terms multiplier to 2025/26 prices (1.401 in
    2013/14: cash × index = 2025/26 prices), so the price level is its inverse."""
    series = params.series(DEFLATOR)
    if years[0] not in series:
        raise ParameterError([problem(params[DEFLATOR].file, f"{DEFLATOR} has no value for "
                                      f"the base year {years[0]}", params[DEFLATOR].line,
                                      DEFLATOR)])
    last = max(series)
    after = params.value(DEFLATOR_AFTER)
    level = [1 / series[y] if y in series else
             (1 + after) ** (int(y[:4]) - int(last[:4])) / series[last] for y in years]
    return np.array(level) / level[0]


def allocations(footprint_set: str, footprints: list[str], years: list[str],
                params: Parameters, case: str = "central"
                ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(f, y) each ICB's share of the national ICB total, (y,) the total (£ cash) and (y,)
    how each year's total was found; ``case`` is that of the budget beyond 2028/29."""
    shares = np.zeros((len(footprints), len(years)))
    totals, methods = np.zeros(len(years)), []
    for t, year in enumerate(years):
        alloc = icb_series.icb_allocations(footprint_set, year, params, case=case).set_index(
            "footprint")
        shares[:, t] = alloc.loc[footprints, "share"].to_numpy()
        totals[t] = alloc["national_total_gbp_bn"].iloc[0] * 1e9
        methods.append(str(alloc["national_total_method"].iloc[0]))
    return shares, totals, methods


def need_index(footprint_set: str, footprints: list[str], years: list[str],
               england: np.ndarray) -> np.ndarray:
    """(f, s, y) need growth: England's index (s, y) × each ICB's relative weighted population
    (``share_index``), 1 for sectors without a component, held at its last year after it."""
    return england[None] * _relative_need(footprint_set, tuple(footprints), tuple(years))


@lru_cache(maxsize=16)  # reference data only: a what-if or a sweep asks for it many times
def _relative_need(footprint_set: str, footprints: tuple[str, ...], years: tuple[str, ...]
                   ) -> np.ndarray:
    growth = icb_data.sector_need_growth(footprint_set, years[0])
    last = growth["allocation_year"].max()
    relative = np.ones((len(footprints), len(SECTOR_NAMES), len(years)))
    table = growth.set_index(["footprint", "sector", "allocation_year"])["share_index"]
    for s, sector in enumerate(SECTOR_NAMES):
        if sector not in icb_data.SECTOR_COMPONENT:
            continue
        for t, year in enumerate(years):
            key = min(year, last)
            relative[:, s, t] = table.loc[[(f, sector, key) for f in footprints]].to_numpy()
    relative.setflags(write=False)
    return relative


def national_drivers(params: Parameters, years: list[str], funding: str,
                     cases: Mapping[str, str] | None, totals: np.ndarray,
                     deflator: np.ndarray) -> Drivers:
    """The ``Drivers`` of an ICB run: national ICB funding by sector, growth and prices."""
    cases = dict(cases or {})
    used: dict[str, str] = {}

    def value(path: str) -> float:
        used[path] = params[path].source_text()
        return params.value(path, case=cases.get(path, "central"))

    split = sector_split(params)
    national = split[:, None] * (totals[0] * deflator if funding == "flat-real" else totals)[None]
    growth = np.array([value(NON_DEMOGRAPHIC.format(sector=s)) for s in SECTOR_NAMES])
    pre = tuple(value(PRE_PROJECTION_SOCIAL_CARE if s == "adult_social_care" else PRE_PROJECTION)
                for s in SECTOR_NAMES)
    used[DEFLATOR] = params[DEFLATOR].source_text()
    return Drivers(
        years=list(years), base_spend=national[:, 0], non_demographic=growth,
        inflation=np.tile(deflator, (len(SECTOR_NAMES), 1)), deflator=deflator,
        funding=national, pre_projection_growth=pre, sources=used,
        deflator_growth=np.concatenate([[0.0], deflator[1:] / deflator[:-1] - 1]),
        demography_scale=value(DEMOGRAPHY_SCALE), provider_deficit=0.0,
        commissioner_surplus=0.0, stf_sustainability=np.zeros(len(years)),
        working_age_share=value(WORKING_AGE_SHARE),
        efficiency={name: value(path) for name, path in EFFICIENCY.items()},
        # England's 2025/26 deficit has no sourced range, and no ICB's opening is a proxy
        # share of it (weight 0 in ``gap.draws``): it is named for the draws, not redrawn
        flat_real=funding == "flat-real", deficit_path=OPENING_DEFICIT)


def opening(footprint_set: str, footprints: list[str], base_year: str, params: Parameters,
            openings: Mapping[str, float]) -> tuple[Opening, np.ndarray]:
    """Each ICB's opening position before support (deficit positive, £) by method, and its
    deficit support in the base year (£)."""
    table = icb_series.opening_positions(footprint_set, base_year, params).set_index(
        "footprint").loc[footprints]
    deficit = -table["surplus_gbp_bn"].to_numpy(float) * 1e9
    published = np.where(table["method"] == "published", deficit, 0.0)
    given = np.full(len(footprints), np.nan)
    for code, amount in openings.items():
        given[footprints.index(code)] = amount
    part = Opening(list(footprints), published, np.zeros(len(footprints)),
                   deficit - published, given, np.zeros(len(footprints)))
    return part, table["deficit_support_gbp_bn"].to_numpy(float) * 1e9


def support_paid(params: Parameters, years: list[str], support: np.ndarray) -> np.ndarray:
    """(f, y) deficit support paid: base-year support × the share still paid each year."""
    remaining = params.series(SUPPORT_REMAINING)
    first, last = min(remaining), max(remaining)
    share = np.array([remaining[y] if y in remaining else (1.0 if y < first else
                                                             remaining[last]) for y in years])
    return support[:, None] * share[None, :]


def compute_icb_gap(footprint_set: str, params: Parameters, years: list[str], funding: str,
                    cases: Mapping[str, str] | None, baselines: Mapping[str, Mapping[str, float]],
                    openings: Mapping[str, float], own: Mapping[str, IcbOwn], basis: str):
    """``GapArrays`` for an ICB set (see the module's formulas); called by ``compute_gap``."""
    from openstp.gap.model import GapArrays, _check_own, _demography, project

    if basis != "resident":
        raise ParameterError([problem("--basis", "today's ICB sets are funded for their "
                                      "registered population: only the resident basis applies",
                                      field="basis")])
    unknown = [c for c in own if c not in footprints_of(footprint_set)]
    if unknown:
        raise ParameterError([problem(f"footprint {c}", "allocation for a footprint not in "
                                      "this footprint set", field="allocation")
                              for c in unknown])
    fps = footprints_of(footprint_set)
    _check_own(fps, baselines, openings)
    gaps = coverage_problems(params, years[0], years[-1])
    if gaps:
        raise ParameterError([problem("command line", message, field=field)
                              for field, message in gaps])
    deflator = deflator_index(params, years)
    shares, totals, _ = allocations(footprint_set, fps, years, params,
                                    dict(cases or {}).get(BUDGET_AFTER, "central"))
    drivers = national_drivers(params, years, funding, cases, totals, deflator)
    demo = _demography(footprint_set, tuple(years), drivers.pre_projection_growth,
                       drivers.working_age_share)
    order = [demo.footprints.index(f) for f in fps]
    weighted = demo.weighted[order]
    england = weighted.sum(axis=0) / weighted[:, :, 0].sum(axis=0)[:, None]
    index = 1 + drivers.demography_scale * (need_index(footprint_set, fps, years, england) - 1)
    share = np.repeat(shares[:, None, :], len(SECTOR_NAMES), axis=1)
    funding_fp = drivers.funding[None] * share
    split = sector_split(params)
    for code, mine in own.items():
        f = fps.index(code)
        for t, year in enumerate(years):
            if year in mine.allocation:
                funding_fp[f, :, t] = mine.allocation[year] * split
    base = funding_fp[:, :, 0].copy()
    for code, mine in baselines.items():
        f = fps.index(code)
        for sector, amount in mine.items():
            base[f, SECTOR_NAMES.index(sector)] = amount
    start, support = opening(footprint_set, fps, years[0], params, openings)
    for code, mine in own.items():
        if mine.deficit_support is not None:
            support[fps.index(code)] = mine.deficit_support
    acute = SECTOR_NAMES.index("acute")
    opening_cost = np.zeros_like(base)
    opening_cost[:, acute] = start.total
    non_demographic, cost, _ = project(base + opening_cost, index, drivers.non_demographic,
                                       drivers.inflation, drivers.funding, share)
    paid = support_paid(params, years, support)
    funding_fp[:, acute] += paid
    method = np.array([METHOD] * len(years), dtype=object)
    return GapArrays(fps, list(SECTOR_NAMES), years, base, index, non_demographic,
                     drivers.inflation, deflator, cost, funding_fp, method, footprint_set,
                     basis, start, opening_cost, paid, dict(drivers.efficiency), drivers)


def footprints_of(footprint_set: str) -> list[str]:
    """The set's ICB codes, sorted (the order of every ICB array)."""
    from openstp.data.reference import footprints

    return sorted(footprints(footprint_set)["code"])


OPENING_YEARS = ("2024/25", "2025/26")
"""Base years with reported system positions (``icb_series.opening_positions``)."""


def coverage_problems(params: Parameters, base_year: str, horizon: str
                      ) -> list[tuple[str, str]]:
    """Every (plan field, message) an ICB run from ``base_year`` to ``horizon`` would fail on,
    all at once: years the ICB series or the population projections do not reach."""
    from openstp import data

    found = []
    if base_year not in OPENING_YEARS:
        found.append(("base_year", (
            f"icb.opening holds reported system positions for {' and '.join(OPENING_YEARS)} "
            f"only, not {base_year}: give one of those base years")))
    if base_year not in params.series(DEFLATOR):
        found.append(("base_year", (
            f"{DEFLATOR} has no value for {base_year}: give a base year it covers "
            f"({min(params.series(DEFLATOR))} to {max(params.series(DEFLATOR))}) or supply "
            "it (--params FILE)")))
    last = int(data.table("npp2016_england")["year"].max())
    if int(horizon[:4]) > last:
        found.append(("horizon", (
            f"population projections (npp2016_england) run to mid-{last}, so the horizon "
            f"can be at most {last}/{(last + 1) % 100:02d}, not {horizon}")))
    return found


def sensitivity_paths(params: Parameters) -> list[str]:
    """The ranged parameters an ICB gap reads (the tornado's bars): non-demographic growth of
    the ICB sectors, the demographic scale and NHS England's real growth after 2028/29."""
    paths = [*(NON_DEMOGRAPHIC.format(sector=s) for s in ICB_SECTORS), DEMOGRAPHY_SCALE,
             BUDGET_AFTER]
    return [p for p in paths if params[p].low is not None or params[p].high is not None]
