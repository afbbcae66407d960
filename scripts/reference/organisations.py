"""``organisations``: CCGs, upper-tier councils and trusts per footprint, for every set."""

from __future__ import annotations

import string

import pandas as pd

from reference.common import AGES, POPULATION_YEARS, Shared, strip_columns
from reference.icb_organisations import icb_organisations


def population_shares(lsoas: pd.DataFrame, pop: pd.Series, org_col: str,
                      fp_col: str) -> pd.DataFrame:
    """Share of each organisation's population that lives in each footprint it touches."""
    frame = pd.DataFrame({"org": lsoas[org_col], "footprint": lsoas[fp_col], "pop": pop.to_numpy()})
    by = frame.groupby(["org", "footprint"], as_index=False)["pop"].sum()
    by["share"] = by["pop"] / by.groupby("org")["pop"].transform("sum")
    return by.drop(columns="pop")


def trust_name(upper_name: str) -> str:
    """ODS names are upper case; give them the case people read (NHS stays upper case)."""
    return string.capwords(upper_name.lower()).replace("Nhs", "NHS").replace(" And ", " and ")


def trust_kind(name: str) -> str:
    """Trust type from its registered name (ODS lists carry no type): a documented name rule."""
    upper = name.upper()
    if "AMBULANCE" in upper:
        return "ambulance_trust"
    if "MENTAL HEALTH" in upper:
        return "mental_health_trust"
    if "COMMUNITY" in upper:
        return "community_trust"
    return "other"


def build(sh: Shared, lsoas: pd.DataFrame, population: pd.DataFrame, sites: pd.DataFrame,
          catchments: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """CCGs (or ICBs and sub-ICB locations), upper-tier councils and trusts per footprint, for
    every footprint set."""
    total = {y: population[population["year"] == y][AGES].sum(axis=1).to_numpy()
             for y in POPULATION_YEARS}
    pop_for_set = {"stp2017": total[2017], "stp2018": total[2017], "stp2019": total[2019],
                   "stp2020": total[2020], "icb2022": total[2020]}
    ccg_names = pd.concat([
        sh.csv("reference/ons_lsoa11_to_ccg16_to_lad16_apr2016.csv")[
            ["CCG16CD", "CCG16CDH", "CCG16NM"]].set_axis(["code", "ods_code", "name"], axis=1),
        sh.csv("reference/ons_ccg18_to_stp18_apr2018_v2.csv")[
            ["CCG18CD", "CCG18CDH", "CCG18NM"]].set_axis(["code", "ods_code", "name"], axis=1),
        sh.csv("reference/ons_ccg19_names_codes_apr2019.csv")[
            ["CCG19CD", "CCG19CDH", "CCG19NM"]].set_axis(["code", "ods_code", "name"], axis=1),
        sh.csv("reference/ons_ccg20_names_codes_apr2020.csv")[
            ["CCG20CD", "CCG20CDH", "CCG20NM"]].set_axis(["code", "ods_code", "name"], axis=1),
        strip_columns(sh.csv("reference/ons_sicbl22_to_icb22_to_nhser22_jul2022.csv",
                             encoding="utf-8-sig"))[["SICBL22CD", "SICBL22CDH", "SICBL22NM"]]
        .set_axis(["code", "ods_code", "name"], axis=1),
    ])
    council_names = pd.concat([
        sh.csv("reference/ons_ltla17_to_utla17_dec2017.csv")[["UTLA17CD", "UTLA17NM"]]
        .set_axis(["code", "name"], axis=1),
        sh.csv("reference/ons_ltla19_to_utla19_apr2019.csv")[["UTLA19CD", "UTLA19NM"]]
        .set_axis(["code", "name"], axis=1),
        sh.csv("geography/lookup_lsoa11_sicbl22_icb22_lad22_england.csv")[
            ["ltla22_code", "ltla22_name"]].set_axis(["code", "name"], axis=1),
    ]).drop_duplicates("code")
    ccg_col = {"stp2017": "ccg16", "stp2018": "ccg18", "stp2019": "ccg19", "stp2020": "ccg20",
               "icb2022": "sicbl22"}
    council_col = {"stp2017": "utla17", "stp2018": "utla17", "stp2019": "utla21",
                   "stp2020": "utla21", "icb2022": "utla22"}
    frames = []
    for fset, people in pop_for_set.items():
        ccgs = population_shares(lsoas, pd.Series(people), ccg_col[fset], fset)
        ccgs = ccgs.rename(columns={"org": "code"}).merge(
            ccg_names.drop_duplicates("code"), on="code", how="left")
        ccgs["kind"] = "ccg"
        councils = population_shares(lsoas, pd.Series(people), council_col[fset], fset)
        councils = councils.rename(columns={"org": "code"}).merge(council_names, on="code",
                                                                  how="left")
        councils["kind"], councils["ods_code"] = "council", None
        trusts = place_trusts(sh, lsoas, sites, fset)
        for frame in (ccgs, councils, trusts):
            frame["footprint_set"] = fset
            frames.append(frame)
    frames += icb_organisations(sh, lsoas, pd.Series(total[2020]), catchments, crosswalk,
                                council_names, population_shares, trust_name, trust_kind)
    orgs = pd.concat(frames, ignore_index=True)
    if orgs["name"].isna().any():
        raise SystemExit(f"organisations without names: {orgs[orgs['name'].isna()]}")
    orgs["share"] = orgs["share"].round(6)
    return orgs[["footprint_set", "footprint", "code", "ods_code", "name", "kind", "share",
                 "placement"]].fillna({"placement": "lsoa_population"})


def place_trusts(sh: Shared, lsoas: pd.DataFrame, sites: pd.DataFrame, fset: str) -> pd.DataFrame:
    """Trusts per footprint: acute trusts from the Health Foundation lookup, others by their sites.

    2017-2020 sets: the 137 acute trusts of the Health Foundation's STP lookup; other trusts of the
    c. 2015/16 ODS list placed where most of their NHS Choices hospital sites lie. icb2022: the
    January 2024 ODS trust list, whose fourth column is the ICB's ODS code.
    """
    acute = sh.csv("reference/hf_trust_to_stp17_lookup_2018.csv", encoding="utf-8-sig")
    acute_codes = set(acute["code"])
    if fset == "icb2022":
        etr = sh.csv("reference/ods_etr_nhs_trusts_2024-01.csv", header=None, dtype=str)
        fps = strip_columns(sh.csv("reference/ons_sicbl22_to_icb22_to_nhser22_jul2022.csv",
                                   encoding="utf-8-sig")).drop_duplicates("ICB22CD")
        icb_by_ods = fps.set_index("ICB22CDH")["ICB22CD"]
        out = pd.DataFrame({"code": etr[0], "ods_code": etr[0], "name": etr[1].map(trust_name),
                            "footprint": etr[3].map(icb_by_ods)}).dropna(subset=["footprint"])
        out["kind"] = [("acute_trust" if c in acute_codes else trust_kind(n))
                       for c, n in zip(out["code"], out["name"], strict=True)]
        out["share"], out["placement"] = 1.0, "ods_icb_code_2024"
        return out
    # Acute trusts: map each trust's STP17 to the footprint of this set that holds most of the
    # STP17's population (identical for most footprints).
    pairs = pd.DataFrame({"stp17": lsoas["stp2017"], "target": lsoas[fset]})
    stp_map = (pairs.value_counts().reset_index().drop_duplicates("stp17")
               .set_index("stp17")["target"])
    out = pd.DataFrame({"code": acute["code"], "ods_code": acute["code"], "name": acute["Trust"],
                        "footprint": acute["STP_code"].map(stp_map), "kind": "acute_trust",
                        "share": 1.0, "placement": "hf_acute_lookup_2018"})
    etr = sh.csv("reference/ods_etr_nhs_trusts_c2015-16.csv", header=None, dtype=str)
    etr = etr[etr[11].isna() & ~etr[0].isin(acute_codes)]
    site_fp = sites[["parent_ods_code", "nearest_lsoa", "in_england"]].dropna().merge(
        lsoas[["lsoa11cd", fset]], left_on="nearest_lsoa", right_on="lsoa11cd")
    modal = site_fp.groupby("parent_ods_code")[fset].agg(lambda s: s.mode()[0])
    others = pd.DataFrame({"code": etr[0], "ods_code": etr[0], "name": etr[1].map(trust_name)})
    others["footprint"] = others["code"].map(modal)
    others = others.dropna(subset=["footprint"])
    others["kind"] = others["name"].map(trust_kind)
    others["share"], others["placement"] = 1.0, "nhs_choices_sites_modal"
    return pd.concat([out, others], ignore_index=True)

