"""``service_site_matches``: one row per match decision behind ``service_sites``: each source
hospital's site and rule, the trusts with type 1 A&E but no ED site, and the hand review."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference.service_placement import Placement


def build(placement: Placement, hospital_sites: pd.DataFrame) -> pd.DataFrame:
    """Every match, unplaced hospital, lost type 1 trust and reviewed change, with its reason."""
    sites, recs, review = placement.sites, placement.recs, placement.review
    type1, by_code = placement.type1, placement.by_code
    matches = recs.merge(sites[["key", "site_id", "placement", "name_score"]], on="key",
                         how="left")
    matches["site_id"] = matches["site_id"].where(sites.set_index("key").reindex(
        matches["key"])["easting"].notna().to_numpy())
    matches = matches.rename(columns={"placement": "rule"})[
        ["source", "postcode", "source_name", "site_id", "rule", "name_score"]]
    unplaced = matches["site_id"].isna()
    matches.loc[unplaced, "rule"] = "unplaced"
    matches["note"] = np.where(unplaced, "no NHS Choices site matched by postcode or name, and the "
                               "list gives no coordinates", None)
    with_ed = set(sites.loc[sites["ed"], "trust_code"].dropna())
    names = hospital_sites.drop_duplicates("parent_ods_code").set_index("parent_ods_code")
    lost = sorted(set(type1.index) - with_ed)
    lost_names = [names["parent_name"].get(c) for c in lost]
    matches = pd.concat([matches, pd.DataFrame({
        "source": "ae_type1_2016_19", "postcode": None, "source_code": lost,
        "source_name": lost_names, "site_id": None, "rule": "type1_trust_without_ed_site",
        "name_score": np.nan,
        "note": ["children's trust: a children's ED is not an all-age ED"
                 if isinstance(n, str) and "child" in n.lower() else
                 "trust code absent from the January 2018 site list (merged into another trust)"
                 for n in lost_names]})], ignore_index=True)
    for r in review.itertuples():
        matches = pd.concat([matches, pd.DataFrame([{
            "source": "review", "source_code": r.site_code,
            "source_name": by_code["name"].get(r.site_code), "site_id": r.site_code,
            "rule": f"reviewed_{r.action}_{r.service}", "note": r.reason}])],
            ignore_index=True)
    return matches.reset_index(drop=True)
