"""``hospital_sites``: NHS Choices hospital sites (January 2018) with British National Grid
coordinates, nearest LSOA, 2017 footprint, and whether each is on the 2017 acute or 2016
stroke-unit list."""

from __future__ import annotations

import pandas as pd
from scipy.spatial import cKDTree

from reference.common import Shared, to_bng

ACUTE_LIST = "geography/hospitals/acute_hospitals_england_allen_2017.csv"


def build(sh: Shared, lsoas: pd.DataFrame, stroke_units_2016: pd.DataFrame) -> pd.DataFrame:
    """Every NHS Choices site with coordinates; sites more than 10 km from England are marked."""
    raw = pd.read_csv(sh.root / "geography/hospitals/nhs_choices_hospital_2018-01-30.csv",
                      sep="\xac", encoding="latin-1", engine="python", dtype=str)
    raw = raw.dropna(subset=["Latitude", "Longitude"])
    sites = pd.DataFrame({
        "site_code": raw["OrganisationCode"], "name": raw["OrganisationName"],
        "sector": raw["Sector"], "postcode": raw["Postcode"].str.upper().str.strip(),
        "lat": raw["Latitude"].astype(float), "lon": raw["Longitude"].astype(float),
        "parent_ods_code": raw["ParentODSCode"], "parent_name": raw["ParentName"],
    })
    sites["easting"], sites["northing"] = to_bng(sites["lon"], sites["lat"])
    tree = cKDTree(lsoas[["easting", "northing"]].to_numpy())
    dist, idx = tree.query(sites[["easting", "northing"]].to_numpy())
    sites["nearest_lsoa"] = lsoas["lsoa11cd"].to_numpy()[idx]
    # Sites more than 10 km from any England LSOA centroid are in Wales, Scotland or further.
    sites["in_england"] = (dist < 10_000) & sites["nearest_lsoa"].str.startswith("E")
    sites["stp2017"] = sites["nearest_lsoa"].map(lsoas.set_index("lsoa11cd")["stp2017"])
    sites.loc[~sites["in_england"], "stp2017"] = None
    pc_key = site_postcodes(sites)
    acute = sh.csv(ACUTE_LIST)
    sites["acute_hospital_2017"] = pc_key.isin(set(acute_postcodes(acute)))
    stroke = stroke_units_2016["postcode"].str.replace(" ", "")
    sites["stroke_unit_2016"] = pc_key.isin(set(stroke))
    return sites


def site_postcodes(sites: pd.DataFrame) -> pd.Series:
    """The sites' postcodes without spaces (they are upper case already)."""
    return sites["postcode"].str.replace(" ", "")


def acute_postcodes(acute: pd.DataFrame) -> pd.Series:
    """The acute hospital list's postcodes, upper case and without spaces."""
    return acute["hospital_postcode"].str.upper().str.replace(" ", "")
