"""Today's ICBs as data: weighted populations, beds and the crosswalk, each per footprint set.

NHS England publishes weighted populations for the 42 ICBs to 2025/26 and for the 36 of 2026
from 2026/27. ``weighted_populations`` gives every year for either set: a year published for the
set itself is ``published``; one carried from the other set is ``summed`` when the ICB is a union
of whole ICBs of the other set and ``apportioned`` (by shared mid-2020 population,
``icb_crosswalk``) otherwise.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from openstp.data.reference import ReferenceDataError, check_footprint_set, footprints, table
from openstp.defaults import ICB_SETS
from openstp.errors import problem

if TYPE_CHECKING:
    import pandas as pd

COMPONENTS = ("ga_wp", "cs_wp", "mh_wp", "mat_wp", "hi_wp", "prescr_wp", "core_wp", "pmc_wp")
"""Weighted-population columns: general and acute, community, mental health, maternity, health
inequalities, prescribing, core (all of these together) and primary medical care."""

SECTOR_COMPONENT = {"acute": "ga_wp", "mental_health": "mh_wp", "community": "cs_wp",
                    "primary_care": "pmc_wp", "prescribing": "prescr_wp",
                    "specialised": "core_wp", "other_nhs": "core_wp"}
"""Which weighted population measures each NHS sector's need. Specialised and other NHS care have
no component of their own in the ICB formula, so they follow the core weighted population.
Maternity (``mat_wp``) is part of acute spending but has no sector of its own here."""


def check_icb_set(footprint_set: str) -> str:
    """``footprint_set`` if it is one of today's ICB sets, else a one-line error."""
    check_footprint_set(footprint_set)
    if footprint_set not in ICB_SETS:
        raise ReferenceDataError([problem(
            "--footprint-set", f"{footprint_set} has no ICB series; use {' or '.join(ICB_SETS)}",
            field="footprint_set")])
    return footprint_set


def crosswalk() -> pd.DataFrame:
    """The 2023/2026 ICB crosswalk with shares recomputed from the shared population, so that
    carried figures add up exactly (the table's shares are rounded to six places)."""
    return _crosswalk().copy()


@cache
def _crosswalk() -> pd.DataFrame:
    cw = table("icb_crosswalk")
    for side in ICB_SETS:
        cw[f"share_of_{side}"] = cw["population"] / cw.groupby(side)["population"].transform("sum")
    return cw


def weighted_populations(footprint_set: str) -> pd.DataFrame:
    """Weighted populations of every ICB of a set for every allocation year, with method.

    Columns: allocation_year, footprint, population, each of ``COMPONENTS``, ``<c>_share`` (the
    ICB's share of England's, summing to 1 in a year) and method: published (the set's own
    figure, or the other set's for the same unchanged ICB), summed (whole ICBs of the other set
    added) or apportioned (parts of ICBs, by shared population).
    """
    check_icb_set(footprint_set)
    return _weighted_populations(footprint_set).copy()


@cache  # reference data only: a what-if or a sweep reads it many times
def _weighted_populations(footprint_set: str) -> pd.DataFrame:
    import pandas as pd

    wp = table("icb_weighted_populations")
    fps = footprints("icb2023")
    code23 = dict(zip(fps["ods_code"], fps["code"], strict=True))
    native = set(footprints(footprint_set)["code"]) if footprint_set == "icb2026" else set(code23)
    own_years = [y for y, icbs in wp.groupby("allocation_year")["icb"] if set(icbs) == native]
    own = wp[wp["allocation_year"].isin(own_years)].copy()
    other = wp[~wp["allocation_year"].isin(own_years)].copy()
    values = ["population", *COMPONENTS]
    if footprint_set == "icb2023":
        own["footprint"] = own["icb"].map(code23)
        from_side, to_side, share = "icb2026", "icb2023", "share_of_icb2026"
        other["footprint_from"] = other["icb"]
    else:
        own["footprint"] = own["icb"]
        from_side, to_side, share = "icb2023", "icb2026", "share_of_icb2023"
        other["footprint_from"] = other["icb"].map(code23)
    own["method"] = "published"
    cw = crosswalk().drop(columns="population")
    carried = other.merge(cw, left_on="footprint_from", right_on=from_side)
    carried[values] = carried[values].mul(carried[share], axis=0)
    carried = carried.groupby(["allocation_year", to_side], as_index=False)[values].sum()
    carried = carried.rename(columns={to_side: "footprint"})
    carried["method"] = carried["footprint"].map(cw.groupby(to_side)[share].agg(_carry_method))
    out = pd.concat([own[["allocation_year", "footprint", *values, "method"]], carried],
                    ignore_index=True)
    for col in COMPONENTS:
        out[f"{col}_share"] = out[col] / out.groupby("allocation_year")[col].transform("sum")
    return out.sort_values(["allocation_year", "footprint"]).reset_index(drop=True)


def _carry_method(shares: pd.Series) -> str:
    """How an ICB's figure is carried from the other set: the same ICB (published), whole ICBs
    added up (summed) or parts of ICBs (apportioned)."""
    if not (shares > 1 - 1e-6).all():
        return "apportioned"
    return "published" if len(shares) == 1 else "summed"


def weighted_population_growth(footprint_set: str, base_year: str) -> pd.DataFrame:
    """Each ICB's weighted population by component as an index on ``base_year`` (= 1).

    Columns: allocation_year, footprint, component, index, share_index (its share of England
    on the base year's share: need growth relative to England), basis_changed (the population
    list changed between the base year and this year: 2025/26 and 2026/27 start new lists,
    so part of such a change is the list, not people) and method.
    """
    return _weighted_population_growth(footprint_set, base_year).copy()


@cache
def _weighted_population_growth(footprint_set: str, base_year: str) -> pd.DataFrame:
    wp = weighted_populations(footprint_set)
    years = sorted(wp["allocation_year"].unique())
    if base_year not in years:
        raise ReferenceDataError([problem("--base-year", f"no weighted populations for "
                                          f"{base_year}; available: {', '.join(years)}",
                                          field="base_year")])
    basis = table("icb_weighted_populations").groupby("allocation_year")[
        "population_basis"].first()
    long = wp.melt(id_vars=["allocation_year", "footprint", "method"],
                   value_vars=list(COMPONENTS), var_name="component", value_name="value")
    shares = wp.melt(id_vars=["allocation_year", "footprint"],
                     value_vars=[f"{c}_share" for c in COMPONENTS], var_name="component",
                     value_name="share")
    shares["component"] = shares["component"].str.removesuffix("_share")
    long = long.merge(shares, on=["allocation_year", "footprint", "component"])
    base = long[long["allocation_year"] == base_year].set_index(["footprint", "component"])
    key = list(zip(long["footprint"], long["component"], strict=True))
    long["index"] = long["value"].to_numpy() / base.loc[key, "value"].to_numpy()
    long["share_index"] = long["share"].to_numpy() / base.loc[key, "share"].to_numpy()
    long["basis_changed"] = long["allocation_year"].map(basis) != basis[base_year]
    return long[["allocation_year", "footprint", "component", "index", "share_index",
                 "basis_changed", "method"]].reset_index(drop=True)


def icb_beds(footprint_set: str, fiscal_year: str | None = None) -> pd.DataFrame:
    """General and acute beds per ICB: monthly, or the mean over a financial year's months.

    Each trust's sitrep beds are shared across ICBs by the share of its patients from each
    (``icb_beds_monthly``). With ``fiscal_year`` ("2024/25"): mean beds available and occupied,
    occupancy and the number of months the mean is over.
    """
    check_icb_set(footprint_set)
    beds = table("icb_beds_monthly")
    beds = beds[beds["footprint_set"] == footprint_set].drop(columns="footprint_set")
    if fiscal_year is None:
        return beds.reset_index(drop=True)
    start = int(fiscal_year[:4])
    year = beds["month"].str[:4].astype(int)
    month = beds["month"].str[5:].astype(int)
    fy = beds[((year == start) & (month >= 4)) | ((year == start + 1) & (month <= 3))]
    if fy.empty:
        raise ReferenceDataError([problem("--year", f"no sitrep beds for {fiscal_year}; the "
                                          "returns run from April 2022 to August 2025",
                                          field="fiscal_year")])
    out = fy.groupby("footprint", as_index=False).agg(
        ga_beds_available=("ga_beds_available", "mean"),
        ga_beds_occupied=("ga_beds_occupied", "mean"), months=("month", "nunique"))
    out["occupancy"] = out["ga_beds_occupied"] / out["ga_beds_available"]
    return out


def sector_need_growth(footprint_set: str, base_year: str) -> pd.DataFrame:
    """Each ICB's need growth per NHS sector (``SECTOR_COMPONENT``) as an index on
    ``base_year``, with the relative index (its share of England's on the base year's share).

    Columns: footprint, sector, component, allocation_year, index, share_index, basis_changed,
    method. Allocation years run to 2028/29; nothing is assumed beyond.
    """
    import pandas as pd

    growth = weighted_population_growth(footprint_set, base_year)
    sectors = pd.DataFrame({"sector": list(SECTOR_COMPONENT),
                            "component": list(SECTOR_COMPONENT.values())})
    out = sectors.merge(growth, on="component")
    return out[["footprint", "sector", "component", "allocation_year", "index", "share_index",
                "basis_changed", "method"]].sort_values(
        ["footprint", "sector", "allocation_year"]).reset_index(drop=True)
