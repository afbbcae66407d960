"""Placing the ED, maternity, neonatal and stroke lists' hospitals on sites, with their services:
the common step of ``service_sites`` and ``service_site_matches``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

from reference.common import Shared, catalogue, postcode_key
from reference.site_matching import (
    SPECIALIST_NAME,
    place_site,
    service_source_records,
    type1_trusts,
)


@dataclass
class Placement:
    """Every source hospital placed (or not) on a site, and what the placing read."""

    sites: pd.DataFrame
    """One row per physical site (postcode), placed or not, with its services."""
    recs: pd.DataFrame
    """Every hospital of the four service lists (``service_source_records``)."""
    review: pd.DataFrame
    """The hand review of ``reference_sources.yaml``: services added or removed, with reasons."""
    type1: pd.Series
    """Type 1 A&E attendances per trust."""
    by_code: pd.DataFrame
    """England's NHS trust sites by site code."""


def place_services(sh: Shared, lsoas: pd.DataFrame, hospital_sites: pd.DataFrame) -> Placement:
    """Sites offering ED, maternity, neonatal and stroke care, from the four service lists.

    The four service lists share postcodes, so one physical site is one postcode; each is placed
    on an NHS Choices site (ODS code and coordinates) by ``place_site`` or, failing that, on a
    stroke list's own coordinates. Service flags follow the rules written into ``ed_rule`` and the
    manifest; ``reviewed`` rows of reference_sources.yaml add or remove a service by hand, each
    with its reason. Hospitals that cannot be placed are listed, not guessed.
    """
    review = pd.DataFrame(catalogue()["service_site_review"])
    recs = service_source_records(sh)
    nhs = hospital_sites[hospital_sites["site_code"].str[0].eq("R")
                         & hospital_sites["in_england"]].drop_duplicates("site_code").copy()
    nhs["pc"] = postcode_key(nhs["postcode"])
    by_code = nhs.set_index("site_code")

    groups = recs.groupby("key", sort=True)
    rows = []
    for key, grp in groups:
        named = grp.sort_values("source", key=lambda s: s.map(
            {"ssnap2016": 0, "acute2017": 1, "neonatal2019": 2, "stroke2022": 3}))
        name = named["source_name"].iloc[0]
        trust = grp["trust_name"].dropna().iloc[0] if grp["trust_name"].notna().any() else None
        east = grp["easting"].dropna().iloc[0] if grp["easting"].notna().any() else np.nan
        north = grp["northing"].dropna().iloc[0] if grp["northing"].notna().any() else np.nan
        code, rule, score = place_site(key, name, trust, east, north, nhs)
        s22 = grp[grp["source"] == "stroke2022"]
        neo = grp[grp["source"] == "neonatal2019"]
        rows.append({
            "key": key, "postcode": grp["postcode"].iloc[0], "source_name": name,
            "site_code": code, "placement": rule, "name_score": score,
            "own_easting": east, "own_northing": north,
            "sources": ",".join(sorted(set(grp["source"]))),
            "stroke": bool((grp["source"] == "ssnap2016").any()),
            "stroke_2022": bool((s22["admissions"] > 0).any()),
            "thrombolysis": bool(s22["thrombolysis"].any()),
            "thrombectomy": bool(s22["thrombectomy"].any()),
            "neonatal_level": neo["neonatal_level"].iloc[0] if len(neo) else None,
        })
    sites = pd.DataFrame(rows)
    placed = sites["site_code"].notna()
    sites.loc[~placed & sites["own_easting"].notna(), "placement"] = "source_coordinates"
    matched = sites["site_code"].map(by_code["name"])
    sites["name"] = matched.fillna(sites["source_name"].map(lambda n: str(n).split(";")[0]))
    sites["trust_code"] = sites["site_code"].map(by_code["parent_ods_code"])
    sites["trust_name"] = sites["site_code"].map(by_code["parent_name"])
    sites["easting"] = sites["site_code"].map(by_code["easting"]).fillna(sites["own_easting"])
    sites["northing"] = sites["site_code"].map(by_code["northing"]).fillna(sites["own_northing"])
    sites["coord_source"] = np.where(placed, "nhs_choices_2018",
                                     np.where(sites["own_easting"].notna(), "stroke_list_bng",
                                              None))
    gap_m = np.hypot(sites["easting"] - sites["own_easting"],
                     sites["northing"] - sites["own_northing"])
    sites["km_from_list_coordinates"] = (gap_m / 1000).round(2)

    # Services. Maternity: the neonatal-unit list stands for obstetric units, less children's
    # hospitals and units without a level; neonatal: the same list with its level.
    specialist = (sites["source_name"].str.contains(SPECIALIST_NAME, case=False)
                  | sites["name"].str.contains(SPECIALIST_NAME, case=False))
    level = sites["neonatal_level"]
    sites["neonatal"] = level.notna()
    sites["maternity"] = level.isin(["NICU", "LNU", "SCU"]) | (
        (level == "SURGERY") & ~specialist)
    type1 = type1_trusts(sh)
    has_type1 = sites["trust_code"].isin(type1.index)
    sites["ed"] = ~specialist & (has_type1 | sites["trust_code"].isna())
    sites["ed_rule"] = np.select(
        [specialist, sites["trust_code"].isna(), ~has_type1],
        ["specialist_name", "acute_list_trust_unknown", "trust_without_type1"],
        "acute_list_trust_with_type1")

    extra = []
    for r in review.itertuples():
        hit = sites["site_code"] == r.site_code
        if not hit.any():
            if r.action != "add" or r.site_code not in by_code.index:
                raise SystemExit(f"review entry {r.site_code}: site not found")
            base = by_code.loc[r.site_code]
            extra.append({"key": postcode_key(pd.Series([base["postcode"]]))[0],
                          "postcode": base["postcode"], "source_name": base["name"],
                          "site_code": r.site_code, "placement": "reviewed",
                          "name": base["name"], "trust_code": base["parent_ods_code"],
                          "trust_name": base["parent_name"], "easting": base["easting"],
                          "northing": base["northing"], "coord_source": "nhs_choices_2018",
                          "sources": "reviewed", r.service: True,
                          "ed_rule": "reviewed_add" if r.service == "ed" else None})
            continue
        sites.loc[hit, r.service] = r.action == "add"
        if r.service == "ed":
            sites.loc[hit, "ed_rule"] = f"reviewed_{r.action}"
    if extra:
        sites = pd.concat([sites, pd.DataFrame(extra)], ignore_index=True)
    for col in ("ed", "maternity", "neonatal", "stroke", "stroke_2022", "thrombolysis",
                "thrombectomy"):
        sites[col] = sites[col].fillna(False).astype(bool)

    where = sites["easting"].notna()
    tree = cKDTree(lsoas[["easting", "northing"]].to_numpy())
    _, idx = tree.query(sites.loc[where, ["easting", "northing"]].to_numpy())
    sites.loc[where, "lsoa11cd"] = lsoas["lsoa11cd"].to_numpy()[idx]
    fp = lsoas.set_index("lsoa11cd")
    for col in ("stp2017", "icb2022"):
        sites[col] = sites["lsoa11cd"].map(fp[col])
    lonlat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lon, lat = lonlat.transform(sites["easting"].to_numpy(float), sites["northing"].to_numpy(float))
    sites["lon"], sites["lat"] = np.round(lon, 6), np.round(lat, 6)
    sites["site_id"] = sites["site_code"].fillna(sites["key"])
    sites["matrix_key"] = None  # filled by travel_minutes.with_matrix_keys
    return Placement(sites, recs, review, type1, by_code)
