"""``cost_per_head_2014``: NHS spend per head in 2014/15 by age, sex and deprivation quintile
(M. Asaria, University of York), per component of spend."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared


def build(sh: Shared) -> pd.DataFrame:
    """NHS spend per head in 2014/15 by age, sex and deprivation quintile (Asaria, York)."""
    a = sh.csv("more/asaria_nhs_spend_by_age_sex_imd_2011_2014_long.csv")
    a["age"] = a["age"].astype(str).str.replace("+", "", regex=False).astype(int)
    pop = a[a["sheet"] == "2014 population"].set_index(["age", "sex_group", "imd_quintile"])["value"]
    frames = []
    for component, sheet in (("inpatient", "2014 inpatient total"),
                             ("outpatient", "2014 outpatient total"),
                             ("gp_and_pharma", "2014 GP and pharma total")):
        tot = a[a["sheet"] == sheet].set_index(["age", "sex_group", "imd_quintile"])["value"]
        frames.append(per_head(tot, pop, component))
    overall = a[(a["sheet"] == "2014 overall results")
                & a["imd_quintile"].isin(["Q1", "Q2", "Q3", "Q4", "Q5"])
                & a["sex_group"].isin(["Male", "Female", "Overall"])]
    frames.append(pd.DataFrame({
        "component": "total", "age": overall["age"],
        "sex": overall["sex_group"].str.lower().replace({"overall": "persons"}),
        "imd_quintile": overall["imd_quintile"].str[1].astype(int),
        "gbp_per_head": overall["value"],
    }))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["component", "sex", "imd_quintile", "age"]).reset_index(drop=True)


def per_head(total: pd.Series, pop: pd.Series, component: str) -> pd.DataFrame:
    """Spend per head of one component by age, sex (and both sexes) and deprivation quintile."""
    df = pd.DataFrame({"total": total, "pop": pop}).reset_index()
    both = df.groupby(["age", "imd_quintile"], as_index=False)[["total", "pop"]].sum()
    both["sex_group"] = "persons"
    df = pd.concat([df, both], ignore_index=True)
    return pd.DataFrame({
        "component": component, "age": df["age"], "sex": df["sex_group"].str.lower(),
        "imd_quintile": df["imd_quintile"].str[1].astype(int),
        "gbp_per_head": df["total"] / df["pop"],
    })

