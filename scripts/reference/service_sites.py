"""``service_sites``: the sites offering ED, maternity, neonatal and stroke care, located."""

from __future__ import annotations

import pandas as pd

from reference.service_placement import Placement


def build(placement: Placement) -> pd.DataFrame:
    """The placed sites with coordinates, one row per site (``matrix_key`` filled later)."""
    sites = placement.sites
    located = sites[sites["easting"].notna()].copy()
    cols = ["site_id", "site_code", "name", "postcode", "trust_code", "trust_name", "easting",
            "northing", "lon", "lat", "lsoa11cd", "stp2017", "icb2022", "ed", "maternity",
            "neonatal", "neonatal_level", "stroke", "stroke_2022", "thrombolysis", "thrombectomy",
            "ed_rule", "sources", "placement", "name_score", "coord_source",
            "km_from_list_coordinates", "matrix_key"]
    located = located[cols].sort_values("site_id").reset_index(drop=True)
    if not located["site_id"].is_unique:
        dup = located[located["site_id"].duplicated(keep=False)]
        raise SystemExit(f"two source hospitals placed on one site:\n{dup}")
    return located
