"""``snpp2016_lad_60plus``: ONS's 2016-based sub-national projection, persons aged 60+ by single
year of age (90+ as one band) per council, 2016 to 2041."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference.common import PROJECTION_YEARS, Shared


def build(sh: Shared) -> pd.DataFrame:
    """Persons by council, age and year (long)."""
    years = PROJECTION_YEARS
    snpp = sh.csv("more/ons_snpp2016_lad_persons_age60plus_2016_2041.csv.gz")
    snpp["age"] = np.where(snpp["AGE_GROUP"] >= 90, "90+", snpp["AGE_GROUP"].astype(str))
    lad = (snpp.rename(columns={"AREA_CODE": "lad"}).melt(
        id_vars=["lad", "age"], value_vars=years, var_name="year", value_name="persons"))
    lad["year"] = lad["year"].astype(int)
    return lad
