"""``lsoa_population``: each England LSOA's population by single year of age, per mid-year."""

from __future__ import annotations

import pandas as pd

from reference.common import AGES, POPULATION_YEARS, Shared


def build(sh: Shared, lsoas: pd.DataFrame) -> pd.DataFrame:
    """Population by age (0 … 89, 90+) for every mid-year, LSOAs in the order of ``lsoas``."""
    frames = []
    for year in POPULATION_YEARS:
        pop = sh.csv(f"geography/lsoa11_population_mid{year}_syoa_ew.csv.gz")
        pop = pop[pop["lsoa11_code"].str.startswith("E")].rename(columns={"lsoa11_code": "lsoa11cd"})
        pop = pop.set_index("lsoa11cd")[AGES].astype("int32").reindex(lsoas["lsoa11cd"])
        if pop.isna().any().any():
            raise SystemExit(f"population {year} misses LSOAs")
        pop.insert(0, "year", year)
        frames.append(pop.reset_index())
    return pd.concat(frames, ignore_index=True)

