"""Today's integrated care boards as footprint sets: ``icb2023`` (42, April 2023 boundaries) and
``icb2026`` (36 after the April 2026 mergers), shared by the ``footprints``, ``lsoas``,
``organisations`` and ``icb_*`` builders.

icb2023: every LSOA (2011) takes the sub-ICB location and ICB of its LSOA (2021) in ONS's April
2024 lookup, whose ICB and sub-ICB codes are those of April 2023. icb2026: each 2025 ICB goes to
its successor (NHS England's allocation files, matched by GP practice); the LSOAs of the three ICBs
split between successors go to the successor holding most of their district's registered patients.
No ONS codes exist for the 2026 ICBs, so their codes are NHS England's (QE1 … T07).
"""

from __future__ import annotations

import pandas as pd

from reference.common import Shared, strip_columns


def icb23_areas(sh: Shared) -> pd.DataFrame:
    """LSOA (2011) → sub-ICB location and ICB of April 2023 (lsoa11cd, sicbl23, icb2023)."""
    l11 = sh.csv("geography/lookup_lsoa11_lsoa21_lad22_ew.csv")
    l11 = l11[l11["lsoa11_code"].str.startswith("E01")]
    l24 = sh.csv("icb/lookup_lsoa21_sicbl24_icb24.csv")
    l22 = sh.csv("geography/lookup_lsoa11_sicbl22_icb22_lad22_england.csv")
    pairs = l11.merge(l24, on="lsoa21_code", validate="m:1")
    # An LSOA (2011) split into 2021 LSOAs of different sub-ICB locations (two in England) keeps
    # its 2022 sub-ICB location if that is one of them, else the one most of its parts are in.
    pairs = pairs.merge(l22[["lsoa11_code", "sicbl22_code"]], on="lsoa11_code")
    pairs["keep"] = pairs["sicbl24_code"] == pairs["sicbl22_code"]
    counts = pairs.groupby(["lsoa11_code", "sicbl24_code"]).size().rename("parts")
    pairs = pairs.join(counts, on=["lsoa11_code", "sicbl24_code"])
    pairs = pairs.sort_values(["lsoa11_code", "keep", "parts", "sicbl24_code"],
                              ascending=[True, False, False, True])
    out = pairs.drop_duplicates("lsoa11_code")
    return out[["lsoa11_code", "sicbl24_code", "icb24_code"]].set_axis(
        ["lsoa11cd", "sicbl23", "icb2023"], axis=1).reset_index(drop=True)


def icb23_footprints(sh: Shared) -> pd.DataFrame:
    """The 42 ICBs of April 2023: ONS code, ODS code, name and NHS England region."""
    l24 = sh.csv("icb/lookup_lsoa21_sicbl24_icb24.csv").drop_duplicates("icb24_code")
    regions = _regions(sh)
    icb22 = strip_columns(sh.csv("reference/ons_sicbl22_to_icb22_to_nhser22_jul2022.csv",
                                 encoding="utf-8-sig")).drop_duplicates("ICB22CDH")
    region_by_ods = icb22.set_index("ICB22CDH")["NHSER22CDH"]
    out = pd.DataFrame({"code": l24["icb24_code"], "ods_code": l24["icb24_code_nhs"],
                        "name": l24["icb24_name"].str.replace(
                            " Integrated Care Board", " ICB", regex=False)})
    out["region_ods"] = out["ods_code"].map(region_by_ods)
    return _with_region(out, regions)


def icb26_footprints(sh: Shared) -> pd.DataFrame:
    """The 36 ICBs of April 2026 with NHS England's codes (also their ``ods_code``) and region."""
    wp = sh.csv("icb/icb_weighted_populations_2023_24_to_2028_29.csv")
    wp = wp[wp["allocation_year"] == "2026/27"]
    out = pd.DataFrame({"code": wp["ICB"], "ods_code": wp["ICB"], "name": wp["ICBname"],
                        "region_ods": wp["Rcode"]})
    return _with_region(out, _regions(sh))


def _regions(sh: Shared) -> pd.DataFrame:
    icb22 = strip_columns(sh.csv("reference/ons_sicbl22_to_icb22_to_nhser22_jul2022.csv",
                                 encoding="utf-8-sig"))
    return icb22.drop_duplicates("NHSER22CDH").set_index("NHSER22CDH")[["NHSER22CD", "NHSER22NM"]]


def _with_region(frame: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    frame = frame.join(regions, on="region_ods")
    if frame["NHSER22CD"].isna().any():
        raise SystemExit(f"ICBs without a region: {frame[frame['NHSER22CD'].isna()]}")
    frame = frame.rename(columns={"NHSER22CD": "region_code", "NHSER22NM": "region_name"})
    return frame[["code", "ods_code", "name", "region_code", "region_name"]].reset_index(drop=True)


def icb25_to_icb26(sh: Shared) -> pd.DataFrame:
    """Each 2025 ICB's successors (ODS codes): ICB_2025, ICB_2026, share of its practices."""
    return sh.csv("icb/icb25_to_icb26_by_practice.csv")[
        ["ICB_2025", "ICB_2026", "share_of_2025_icb_practices"]]


def icb26_of_areas(sh: Shared, areas: pd.DataFrame) -> pd.Series:
    """The 2026 ICB of each LSOA, from its 2023 ICB and (for a split ICB) its district.

    ``areas`` needs ``icb2023`` (ONS code) and ``lad22``. A 2025 ICB with one successor passes
    all its LSOAs to it; an ICB split between successors passes each district's LSOAs to the
    successor that holds most of that district's registered patients (2026/27 allocation file).
    """
    ods = icb23_footprints(sh).set_index("code")["ods_code"]
    succ = icb25_to_icb26(sh)
    icb25 = areas["icb2023"].map(ods)
    whole = succ.groupby("ICB_2025")["ICB_2026"].agg(lambda s: s.iloc[0] if len(s) == 1 else None)
    out = icb25.map(whole)
    lad = sh.csv("icb/lad_to_icb26_by_practice.csv")
    split = out.isna()
    for code in icb25[split].unique():
        options = set(succ.loc[succ["ICB_2025"] == code, "ICB_2026"])
        cand = lad[lad["icb26_code_nhs"].isin(options)].sort_values(
            ["lad_code", "registered_patients_2026_27"], ascending=[True, False])
        majority = cand.drop_duplicates("lad_code").set_index("lad_code")["icb26_code_nhs"]
        rows = split & (icb25 == code)
        out[rows] = areas.loc[rows, "lad22"].map(majority)
    if out.isna().any():
        raise SystemExit(f"{out.isna().sum()} LSOAs have no 2026 ICB")
    return out


def sicbl23_names(sh: Shared) -> pd.DataFrame:
    """Sub-ICB locations of April 2023/24: ONS code, ODS code and name."""
    l24 = sh.csv("icb/lookup_lsoa21_sicbl24_icb24.csv").drop_duplicates("sicbl24_code")
    return l24[["sicbl24_code", "sicbl24_code_nhs", "sicbl24_name"]].set_axis(
        ["code", "ods_code", "name"], axis=1)


def icb_footprints(sh: Shared) -> dict[str, pd.DataFrame]:
    """The footprints of each ICB set."""
    return {"icb2023": icb23_footprints(sh), "icb2026": icb26_footprints(sh)}
