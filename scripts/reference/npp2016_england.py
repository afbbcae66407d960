"""``npp2016_england``: ONS's 2016-based national population projection for England, persons by
sex and single year of age (90+ as one band), 2016 to 2041."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference.common import PROJECTION_YEARS, Shared


def build(sh: Shared) -> pd.DataFrame:
    """Persons by sex, age and year (long)."""
    npp = sh.csv("more/ons_npp2016_england_principal_syoa_sex_2016_2116.csv").copy()
    years = PROJECTION_YEARS
    age = npp["Age"].astype(str)
    # The model's top band is 90+, as in the small-area estimates.
    npp["age"] = np.where(age.str.isdigit() & (pd.to_numeric(age, errors="coerce") < 90),
                          age, "90+")
    npp["sex"] = npp["Sex"].map({1: "male", 2: "female"})
    national = (npp.groupby(["sex", "age"], sort=False)[years].sum().reset_index()
                .melt(id_vars=["sex", "age"], var_name="year", value_name="persons"))
    national["year"] = national["year"].astype(int)
    return national
