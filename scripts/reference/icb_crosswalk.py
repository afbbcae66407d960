"""``icb_crosswalk``: how the 42 ICBs of 2023 and the 36 of 2026 overlap, by mid-2020 population.

One row per (2023 ICB, 2026 ICB) pair that shares LSOAs, with the people they share and that
number as a share of each side. Series published for one set are carried to the other with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference.common import AGES, POPULATION_YEARS


def build(areas: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """The population each 2023 ICB shares with each 2026 ICB, and its share of each."""
    latest = population[population["year"] == POPULATION_YEARS[-1]].set_index("lsoa11cd")
    people = latest[AGES].sum(axis=1).reindex(areas["lsoa11cd"]).to_numpy()
    frame = pd.DataFrame({"icb2023": areas["icb2023"], "icb2026": areas["icb2026"],
                          "population": people})
    out = frame.groupby(["icb2023", "icb2026"], as_index=False)["population"].sum()
    out["population"] = out["population"].astype(np.int64)
    for side in ("icb2023", "icb2026"):
        out[f"share_of_{side}"] = (out["population"]
                                   / out.groupby(side)["population"].transform("sum")).round(6)
    return out.sort_values(["icb2026", "icb2023"]).reset_index(drop=True)
