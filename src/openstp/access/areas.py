"""The small areas access is measured for: England's 32,844 LSOAs (2011) with centroid, users
and the groups equity is reported by (IMD 2019 quintile, urban/rural, rurality class)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from openstp import data

RURALITY = ("conurbation", "city_town", "rural")
"""Rurality classes for travel speeds: RUC 2011 A1/B1, C1/C2, and D/E (rural)."""

DEFAULT_POPULATION_YEAR = 2017
"""Mid-2017 is the population estimate closest to the STPs' publication (shared SOURCES.md)."""


@cache
def _small_areas(population_year: int) -> pd.DataFrame:
    lsoas = data.lsoas()
    pop = data.lsoa_population(population_year).reindex(lsoas["lsoa11cd"])
    old = [a for a in data.AGES if a == "90+" or int(a) >= 65]
    df = lsoas[["lsoa11cd", "lsoa11nm", "easting", "northing", "lon", "lat", "ruc11cd", "rural",
                *data.FOOTPRINT_SETS]].copy()
    df["imd_quintile"] = ((lsoas["imd2019_decile"] + 1) // 2).astype(np.int8)
    first = lsoas["ruc11cd"].str[0]
    df["rurality_class"] = np.select([first.isin(["A", "B"]), first.eq("C")], [0, 1], 2).astype(
        np.int8)
    df["rurality"] = np.array(RURALITY)[df["rurality_class"]]
    df["persons"] = pop.sum(axis=1).to_numpy(float)
    df["persons_65plus"] = pop[old].sum(axis=1).to_numpy(float)
    df["ed_users"] = _use_weighted(pop, df["imd_quintile"].to_numpy())
    # Isles of Scilly 001A has no modelled births in the source: counted as 0 users.
    df["births"] = lsoas["births"].fillna(0.0).to_numpy(float)
    return df.reset_index(drop=True)


def _use_weighted(pop: pd.DataFrame, quintile: np.ndarray) -> np.ndarray:
    """Residents weighted by inpatient spend per head for their age and IMD quintile (York,
    Asaria 2017, persons), scaled so England's total equals its residents: people who use more
    emergency hospital care count for more in ED access."""
    cost = data.table("cost_per_head_2014")
    cost = cost[(cost["component"] == "inpatient") & (cost["sex"] == "persons")]
    curve = cost.pivot_table(index="age", columns="imd_quintile", values="gbp_per_head")
    ages = np.array([min(90 if a == "90+" else int(a), int(curve.index.max()))
                     for a in pop.columns])
    per_head = curve.reindex(ages).to_numpy(float)  # (age, quintile)
    counts = pop.fillna(0).to_numpy(float)  # (area, age)
    weighted = (counts @ per_head)[np.arange(len(counts)), np.clip(quintile, 1, 5) - 1]
    return weighted * counts.sum() / weighted.sum()


def small_areas(population_year: int = DEFAULT_POPULATION_YEAR) -> pd.DataFrame:
    """One row per England LSOA: BNG centroid, IMD quintile (1 = most deprived), rural flag,
    rurality class, users (persons, persons aged 65+, births a year) and footprint codes."""
    return _small_areas(population_year).copy()
