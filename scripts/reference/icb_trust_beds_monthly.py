"""``icb_trust_beds_monthly``: general and acute and critical care beds available and occupied
per acute trust and month, April 2022 to August 2025 (NHS England UEC daily sitrep, monthly
averages; trust codes of 2022)."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared

COLUMNS = {
    "nhs_trust22_code": "trust",
    "general_acute_beds_available": "ga_beds_available",
    "general_acute_beds_occupied": "ga_beds_occupied",
    "adult_general_acute_beds_available": "adult_ga_beds_available",
    "adult_general_acute_beds_occupied": "adult_ga_beds_occupied",
    "paediatric_general_acute_beds_available": "paediatric_ga_beds_available",
    "paediatric_general_acute_beds_occupied": "paediatric_ga_beds_occupied",
    "adult_critical_care_beds_available": "adult_cc_beds_available",
    "adult_critical_care_beds_occupied": "adult_cc_beds_occupied",
}


def build(sh: Shared) -> pd.DataFrame:
    """One row per trust and month (``month`` as YYYY-MM); beds as published (monthly means)."""
    raw = sh.csv("icb/trust_ga_cc_beds_monthly_2022_04_to_2025_08.csv")
    out = raw[list(COLUMNS)].rename(columns=COLUMNS)
    out.insert(1, "month", pd.to_datetime(raw["date"], format="%B %Y").dt.strftime("%Y-%m"))
    beds = [c for c in out if c.endswith(("_available", "_occupied"))]
    out[beds] = out[beds].astype("float64")
    return out.sort_values(["month", "trust"]).reset_index(drop=True)
