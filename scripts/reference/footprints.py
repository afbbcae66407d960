"""``footprints``: the footprints of every set with ONS code, ODS code, name and region."""

from __future__ import annotations

import pandas as pd

from reference.common import FOOTPRINT_SETS, Shared, strip_columns
from reference.icb_geography import icb_footprints


def build(sh: Shared) -> pd.DataFrame:
    """The footprints of every set with ONS code, ODS code, name and NHS England region."""
    stp20 = strip_columns(sh.csv("reference/ons_stp20_names_codes_apr2020.csv"))
    ods_by_code = stp20.set_index("STP20CD")["STP20CDH"]

    c17 = sh.csv("reference/ons_ccg17_to_stp17_apr2017.csv")
    r17 = sh.csv("reference/ons_ccg17_to_nhser17_apr2017.csv")
    s17 = c17.merge(r17[["CCG17CD", "NHSER17CD", "NHSER17NM"]], on="CCG17CD")
    regions = s17.groupby("STP17CD")[["NHSER17CD", "NHSER17NM"]].agg(lambda s: s.mode()[0])
    f17 = (c17.drop_duplicates("STP17CD").set_index("STP17CD")[["STP17NM"]].join(regions)
           .reset_index())
    f17.columns = ["code", "name", "region_code", "region_name"]

    names18 = strip_columns(sh.csv("reference/su_stp18_names.csv", skipinitialspace=True))
    reg18 = strip_columns(sh.csv("reference/su_stp18_to_nhser18.csv", skipinitialspace=True))
    rn18 = strip_columns(sh.csv("reference/su_nhser18_names.csv", skipinitialspace=True))
    f18 = names18.merge(reg18, on="stp18cd").merge(rn18, on="nhser18cd")
    f18 = f18.rename(columns={"stp18cd": "code", "stp18nm": "name", "nhser18cd": "region_code",
                              "nhser18nm": "region_name"})

    c19 = sh.csv("reference/ons_ccg19_to_stp19_apr2019.csv").drop_duplicates("STP19CD")
    f19 = c19[["STP19CD", "STP19NM"]].rename(columns={"STP19CD": "code", "STP19NM": "name"})
    f19 = f19.merge(f18[["code", "region_code", "region_name"]], on="code", validate="1:1")

    reg20 = strip_columns(sh.csv("reference/su_stp20_to_nhser20_with_partnership_names.csv"))
    f20 = stp20.rename(columns={"STP20CD": "code", "STP20NM": "name", "STP20CDH": "ods_code"})
    f20 = f20[["code", "ods_code", "name"]].merge(
        reg20.rename(columns={"stp20cd": "code", "nhser20cd": "region_code",
                              "nhser20nm": "region_name"})[["code", "region_code", "region_name"]],
        on="code", validate="1:1")

    icb = strip_columns(sh.csv("reference/ons_sicbl22_to_icb22_to_nhser22_jul2022.csv",
                               encoding="utf-8-sig")).drop_duplicates("ICB22CD")
    f22 = icb.rename(columns={"ICB22CD": "code", "ICB22CDH": "ods_code", "ICB22NM": "name",
                              "NHSER22CD": "region_code", "NHSER22NM": "region_name"})
    f22 = f22[["code", "ods_code", "name", "region_code", "region_name"]]

    out = []
    icb = icb_footprints(sh)
    frames = (f17, f18, f19, f20, f22, icb["icb2023"], icb["icb2026"])
    for name, frame in zip(FOOTPRINT_SETS, frames, strict=True):
        frame = frame.copy()
        if "ods_code" not in frame:
            # STP ODS (Q) codes were first published for 2020; an ONS code that is unchanged
            # since names the same footprint, so its 2020 ODS code is carried back (derived).
            frame["ods_code"] = frame["code"].map(ods_by_code)
        frame.insert(0, "footprint_set", name)
        out.append(frame[["footprint_set", "code", "ods_code", "name", "region_code",
                          "region_name"]])
    return pd.concat(out, ignore_index=True).sort_values(["footprint_set", "code"])
