"""The organisations of today's ICB sets, and each acute trust's catchment share per ICB.

Each ICB's organisations: the ICB itself (kind ``icb``, its ODS code), its sub-ICB locations
(``sub_icb_location``, with the share of their population in it), its upper-tier councils and
its trusts. An acute trust (OHID's catchment populations, October 2022) belongs to every ICB that
sends it at least ``icb_trust_membership.min_catchment_share`` of its patients, and always to its
largest; ``share`` is then the share of the trust's patients who live in the ICB. Other trusts
belong to the ICB named in the January 2024 ODS trust list (for a 2026 ICB: the successor
holding most of that ICB's population).
"""

from __future__ import annotations

import pandas as pd

from reference.common import Shared, catalogue
from reference.icb_geography import icb_footprints, sicbl23_names


def catchments(sh: Shared, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Share of each acute trust's patients from each ICB, for icb2023 and icb2026."""
    raw = sh.csv("icb/lookup_trust22_icb22_catchment_proportions.csv")
    raw.columns = ["trust", "icb22", "share"]
    icb22_ods = _icb22_ods(sh)
    icb23 = icb_footprints(sh)["icb2023"].set_index("ods_code")["code"]
    raw["icb2023"] = raw["icb22"].map(icb22_ods).map(icb23)
    if raw["icb2023"].isna().any():
        raise SystemExit(f"catchment ICBs not in 2023: {raw[raw['icb2023'].isna()]}")
    c23 = raw.groupby(["trust", "icb2023"], as_index=False)["share"].sum()
    c26 = c23.merge(crosswalk[["icb2023", "icb2026", "share_of_icb2023"]], on="icb2023")
    c26["share"] = c26["share"] * c26["share_of_icb2023"]
    c26 = c26.groupby(["trust", "icb2026"], as_index=False)["share"].sum()
    out = pd.concat([c23.rename(columns={"icb2023": "footprint"}).assign(footprint_set="icb2023"),
                     c26.rename(columns={"icb2026": "footprint"}).assign(footprint_set="icb2026")])
    out["share"] = out["share"].round(8)
    return out[["footprint_set", "trust", "footprint", "share"]].sort_values(
        ["footprint_set", "trust", "footprint"]).reset_index(drop=True)


def _icb22_ods(sh: Shared) -> pd.Series:
    l22 = sh.csv("geography/lookup_lsoa11_sicbl22_icb22_lad22_england.csv")
    return l22.drop_duplicates("icb22_code").set_index("icb22_code")["icb22_code_h"]


def trust_names(sh: Shared, name_case) -> pd.Series:
    """Trust names by ODS code: the January 2024 ODS list, else the 2022 trust locations."""
    etr = sh.csv("reference/ods_etr_nhs_trusts_2024-01.csv", header=None, dtype=str)
    names = pd.Series(etr[1].map(name_case).to_numpy(), index=etr[0])
    points = sh.csv("icb/nhs_trusts22_points.csv").set_index("nhs_trust22_code")["nhs_trust22_name"]
    return names.combine_first(points)


def icb_trusts(sh: Shared, catch: pd.DataFrame, crosswalk: pd.DataFrame, fset: str,
               name_case, kind_of) -> pd.DataFrame:
    """Acute trusts by catchment and other trusts by their ODS ICB code, for one ICB set."""
    rule = catalogue()["icb_trust_membership"]
    names = trust_names(sh, name_case)
    c = catch[catch["footprint_set"] == fset]
    largest = c.sort_values("share", ascending=False).drop_duplicates("trust")
    acute = c[c["share"] >= rule["min_catchment_share"]]
    acute = pd.concat([acute, largest]).drop_duplicates(["trust", "footprint"])
    acute = pd.DataFrame({"code": acute["trust"], "ods_code": acute["trust"],
                          "name": acute["trust"].map(names), "footprint": acute["footprint"],
                          "kind": "acute_trust", "share": acute["share"],
                          "placement": "ohid_catchment_2022"})
    etr = sh.csv("reference/ods_etr_nhs_trusts_2024-01.csv", header=None, dtype=str)
    etr = etr[~etr[0].isin(set(catch["trust"]))]
    icb23 = icb_footprints(sh)["icb2023"].set_index("ods_code")["code"]
    home = etr[3].map(icb23)
    placement = "ods_icb_code_2024"
    if fset == "icb2026":
        biggest = (crosswalk.sort_values("share_of_icb2023", ascending=False)
                   .drop_duplicates("icb2023").set_index("icb2023")["icb2026"])
        home = home.map(biggest)
        placement = "ods_icb_code_2024_largest_successor"
    others = pd.DataFrame({"code": etr[0], "ods_code": etr[0], "name": etr[1].map(name_case),
                           "footprint": home}).dropna(subset=["footprint"])
    others["kind"] = others["name"].map(kind_of)
    others["share"], others["placement"] = 1.0, placement
    return pd.concat([acute, others], ignore_index=True)


def icb_organisations(sh: Shared, lsoas: pd.DataFrame, pop: pd.Series, catch: pd.DataFrame,
                      crosswalk: pd.DataFrame, council_names: pd.DataFrame, shares,
                      name_case, kind_of) -> list[pd.DataFrame]:
    """Every organisation row of the ICB sets (the ICB, sub-ICB locations, councils, trusts)."""
    frames = []
    sicbl = sicbl23_names(sh).drop_duplicates("code")
    for fset, fps in icb_footprints(sh).items():
        icbs = fps[["code", "ods_code", "name"]].assign(
            footprint=fps["code"], kind="icb", share=1.0, placement="icb_itself")
        subs = shares(lsoas, pop, "sicbl23", fset).rename(columns={"org": "code"}).merge(
            sicbl, on="code", how="left")
        subs["kind"] = "sub_icb_location"
        councils = shares(lsoas, pop, "utla22", fset).rename(columns={"org": "code"}).merge(
            council_names, on="code", how="left")
        councils["kind"], councils["ods_code"] = "council", None
        trusts = icb_trusts(sh, catch, crosswalk, fset, name_case, kind_of)
        for frame in (icbs, subs, councils, trusts):
            frames.append(frame.assign(footprint_set=fset))
    return frames
