"""Population by age for every footprint and year, and the cost-weighted demand it implies.

Each footprint's own population by single year of age (summed over its LSOAs) is carried forward and
back with ONS's 2016-based projections: the sub-national projection of its councils for ages 60+
(the ages that drive demand), national age-specific growth below 60. Years before the first
projection year have no age detail here: England grows at the national demographic growth
parameter, and each footprint at that rate times its own projected growth over England's in the
first projection year (2016 to 2017), so footprints' growth and shares move from the first year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from openstp import data
from openstp.gap.sectors import SECTORS

FIRST_PROJECTION_YEAR = 2016
SNPP_FIRST_AGE = 60
COST_TOP_AGE = 85  # the York cost curves' top band is 85+
FIRST_YEARS = ("2016/17", "2017/18")  # the first projection year and the next
# Flat per-head curves over an age band [first, last) of data.AGES (91 = everyone up to 90+)
AGE_BANDS = {"population": (0, 91), "population_18to64": (18, 65), "population_65plus": (65, 91)}

METHOD_SNPP = "ONS SNPP 2016 by council (ages 60+) and NPP 2016 national age-specific growth (<60)"
METHOD_PRE = ("national demographic growth parameters gap.growth.demography.pre_projection*, "
              "spread by each footprint's own ONS 2016-based growth from 2016 to 2017")


def fy_start(fy: str) -> int:
    """Calendar year in which a financial year starts ('2015/16' -> 2015); its mid-year population."""
    return int(fy[:4])


def anchor_year(base_calendar_year: int) -> int:
    """The shipped small-area population year nearest the base year (earlier on a tie)."""
    return min(data.POPULATION_YEARS, key=lambda y: (abs(y - base_calendar_year), y))


@dataclass(frozen=True)
class Demography:
    """Cost-weighted population of each footprint × sector × year (index 1 at the base year).

    ``weighted`` holds Σ population × cost per head (£) for the sector's age–cost curve, so it also
    serves as the apportionment weight of national spend across footprints.
    """

    footprints: list[str]
    sectors: list[str]
    years: list[str]
    weighted: np.ndarray  # (footprint, sector, year), £-weighted persons
    method: np.ndarray  # (year,) text: how each year's population was obtained

    def share(self) -> np.ndarray:
        """Each footprint's share of England's weighted population, per sector and year."""
        return self.weighted / self.weighted.sum(axis=0, keepdims=True)

    def index(self) -> np.ndarray:
        """Demographic growth index relative to the first year, per footprint × sector × year."""
        return self.weighted / self.weighted[:, :, :1]


def cost_weights(curve: str, cost: pd.DataFrame) -> np.ndarray:
    """£ per head by (IMD quintile 1-5, age 0..90+) on an age–cost curve (see ``Sector``)."""
    ages = np.minimum(np.arange(len(data.AGES)), COST_TOP_AGE)
    if curve in AGE_BANDS:
        first, last = AGE_BANDS[curve]
        w = np.zeros((5, len(data.AGES)))
        w[:, first:last] = 1.0
        return w
    persons = cost[cost["sex"] == "persons"]
    total = None
    for component in curve.split("+"):
        part = persons[persons["component"] == component].pivot(
            index="imd_quintile", columns="age", values="gbp_per_head")
        total = part if total is None else total + part
    assert total is not None
    return total.to_numpy()[:, ages]


def growth_factors(lads: list[str], anchor: int, years: list[int]) -> np.ndarray:
    """Growth of population by age from the anchor year to each year, per council (lad, age, year).

    Ages 60+ follow the council's own sub-national projection, younger ages national growth.
    Years before the first projection year get factor 1 (the national parameter handles them).
    """
    npp = data.table("npp2016_england").groupby(["age", "year"])["persons"].sum().unstack()
    npp = npp.reindex(list(data.AGES))
    proj_years = [max(y, FIRST_PROJECTION_YEAR) for y in years]
    national = npp[proj_years].to_numpy() / npp[[anchor]].to_numpy()  # (age, year)
    snpp = data.table("snpp2016_lad_60plus").pivot_table(
        index=["lad", "age"], columns="year", values="persons")
    old_ages = list(data.AGES[SNPP_FIRST_AGE:])
    snpp = snpp.reindex(pd.MultiIndex.from_product([lads, old_ages]))
    factors = np.broadcast_to(national, (len(lads), *national.shape)).copy()
    factors[:, SNPP_FIRST_AGE:, :] = (snpp[proj_years].to_numpy() / snpp[[anchor]].to_numpy()
                                      ).reshape(len(lads), len(old_ages), len(years))
    return factors


@dataclass(frozen=True)
class ProjectedGroups:
    """Population by age and year for groups of LSOAs sharing footprint, council and quintile."""

    footprint_set: str
    footprints: list[str]
    footprint_index: np.ndarray  # (group,) index into footprints
    quintile_index: np.ndarray  # (group,) IMD 2015 quintile - 1
    population: np.ndarray  # (group, age, year)
    method: np.ndarray  # (year,)


@cache
def project_groups(footprint_set: str, years: tuple[str, ...]) -> ProjectedGroups:
    """Project every footprint's population by age to each financial year (mid-year of its start).

    LSOAs sharing footprint, council and deprivation quintile share every factor, so they are
    summed first and projected as a few thousand groups rather than 32,844 areas.
    """
    lsoas = data.lsoas()
    cal_years = [fy_start(y) for y in years]
    anchor = anchor_year(cal_years[0])
    pop = data.lsoa_population(anchor).reindex(lsoas["lsoa11cd"])
    groups = pd.DataFrame({"footprint": lsoas[footprint_set].to_numpy(),
                           "lad": lsoas["lad17"].to_numpy(),
                           "quintile": (lsoas["imd2015_decile"].to_numpy() + 1) // 2})
    grouped = pop.set_axis(pd.MultiIndex.from_frame(groups)).groupby(level=[0, 1, 2]).sum()
    keys = grouped.index.to_frame(index=False)
    footprint_codes, fp_index = np.unique(keys["footprint"].to_numpy(), return_inverse=True)
    lads, lad_index = np.unique(keys["lad"].to_numpy(), return_inverse=True)
    projected = (grouped.to_numpy(float)[:, :, None]
                 * growth_factors(list(lads), anchor, cal_years)[lad_index])
    methods = np.array([METHOD_SNPP if y >= FIRST_PROJECTION_YEAR else METHOD_PRE
                        for y in cal_years], dtype=object)
    return ProjectedGroups(footprint_set, list(footprint_codes), fp_index,
                           keys["quintile"].to_numpy() - 1, projected, methods)


def weighted_population(groups: ProjectedGroups, curve: str, years: list[str],
                        pre_projection_growth: float) -> np.ndarray:
    """Σ population × £ per head on an age–cost curve, per footprint × year.

    ``curve`` is as in ``Sector.cost_curve``. Years before the first projection year have no age
    detail here: they scale the first projection year back by the national growth parameter,
    times each footprint's own projected growth over England's from 2016 to 2017.
    """
    out = _summed(groups, curve)
    early = [i for i, year in enumerate(years) if fy_start(year) < FIRST_PROJECTION_YEAR]
    if early:
        first = _summed(project_groups(groups.footprint_set, FIRST_YEARS), curve)  # (f, 2)
        own = first[:, 1] / first[:, 0]
        rate = (1 + pre_projection_growth) * own / (first[:, 1].sum() / first[:, 0].sum())
        for i in early:
            out[:, i] = first[:, 0] / rate ** (FIRST_PROJECTION_YEAR - fy_start(years[i]))
    return out


def _summed(groups: ProjectedGroups, curve: str) -> np.ndarray:
    """(f, y) Σ population × £ per head on ``curve`` over each footprint's groups."""
    weights = cost_weights(curve, data.table("cost_per_head_2014"))[groups.quintile_index]
    per_group = np.einsum("gay,ga->gy", groups.population, weights)
    out = np.zeros((len(groups.footprints), per_group.shape[1]))
    np.add.at(out, groups.footprint_index, per_group)
    return out


def social_care_clients(groups: ProjectedGroups, years: list[str], pre_projection_growth: float,
                        working_age_share: float) -> np.ndarray:
    """Adult social care demand per footprint × year: working-age adults (18-64) and people
    aged 65+, each in proportion to England's base-year number and weighted by its share of
    spend, so each part of the spend grows with its own population."""
    young = weighted_population(groups, "population_18to64", years, pre_projection_growth)
    old = weighted_population(groups, "population_65plus", years, pre_projection_growth)
    return (working_age_share * young / young[:, 0].sum()
            + (1 - working_age_share) * old / old[:, 0].sum())


def project_demography(footprint_set: str, years: list[str],
                       pre_projection_growth: tuple[float, ...],
                       working_age_share: float) -> Demography:
    """Cost-weighted population per footprint × sector × financial year, from the base year on."""
    groups = project_groups(footprint_set, tuple(years))
    weighted = np.stack([
        social_care_clients(groups, years, rate, working_age_share)
        if sector.cost_curve == "social_care_clients"
        else weighted_population(groups, sector.cost_curve, years, rate)
        for sector, rate in zip(SECTORS, pre_projection_growth, strict=True)], axis=1)
    return Demography(groups.footprints, [s.name for s in SECTORS], list(years), weighted,
                      groups.method)
