"""``icb_beds_monthly``: general and acute beds per ICB and month (icb2023 and icb2026), each
trust's beds shared across ICBs by its catchment. Critical care stays in the trust table: some
trusts' critical care returns are missing and a sum would read them as none."""

from __future__ import annotations

import pandas as pd

BEDS = ["ga_beds_available", "ga_beds_occupied"]


def build(beds: pd.DataFrame, catchments: pd.DataFrame) -> pd.DataFrame:
    """Per set, ICB and month: the sum over trusts of beds x the share of the trust's patients
    from the ICB, and how many trusts reported that month."""
    joined = beds.merge(catchments, on="trust", validate="m:m")
    joined[BEDS] = joined[BEDS].mul(joined["share"], axis=0)
    out = joined.groupby(["footprint_set", "footprint", "month"], as_index=False)[BEDS].sum()
    reporting = beds.groupby("month")["trust"].nunique().rename("trusts_reporting")
    out = out.join(reporting, on="month")
    out[BEDS] = out[BEDS].round(3)
    return out.sort_values(["footprint_set", "footprint", "month"]).reset_index(drop=True)
