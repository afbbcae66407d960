"""``icb_weighted_populations``: NHS England's allocation-formula weighted populations per ICB and
allocation year, 2023/24 to 2028/29 (42 ICBs to 2025/26, the 36 of 2026 from 2026/27)."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared

COLUMNS = {"allocation_year": "allocation_year", "ICB": "icb", "ICBname": "name",
           "Rcode": "region_ods", "population": "population", "ga_wp": "ga_wp",
           "cs_wp": "cs_wp", "mh_wp": "mh_wp", "mat_wp": "mat_wp", "hi_wp": "hi_wp",
           "prescr_wp": "prescr_wp", "core_weighted_pop": "core_wp",
           "pmc_weighted_pop": "pmc_wp", "pmc_weighted_pop_final": "pmc_wp_final",
           "pop_source_col": "population_basis", "n_practices": "practices"}


def build(sh: Shared) -> pd.DataFrame:
    """One row per allocation year and ICB (NHS England code): population and weighted
    populations by component, core and primary medical care (persons, unrounded)."""
    wp = sh.csv("icb/icb_weighted_populations_2023_24_to_2028_29.csv")
    out = wp[list(COLUMNS)].rename(columns=COLUMNS)
    out["practices"] = out["practices"].astype("int64")
    return out.sort_values(["allocation_year", "icb"]).reset_index(drop=True)
