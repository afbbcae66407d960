"""``lsoas``: one row per England LSOA (2011) with centroid, deprivation, rurality, births and
its CCG, council and footprint in every footprint set."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared, to_bng
from reference.icb_geography import icb23_areas, icb26_of_areas


def build_lsoa_lookups(sh: Shared) -> pd.DataFrame:
    """One row per England LSOA (2011) with its CCG and footprint in every footprint set."""
    l16 = sh.csv("reference/ons_lsoa11_to_ccg16_to_lad16_apr2016.csv")
    l17 = sh.csv("reference/ons_lsoa11_to_ccg17_to_stp17_to_lad17_apr2017.csv")
    l18 = sh.csv("reference/ons_lsoa11_to_ccg18_to_stp18_to_lad18_apr2018.csv")
    l21 = sh.csv("geography/lookup_lsoa11_ccg21_stp21_lad21_england.csv")
    l22 = sh.csv("geography/lookup_lsoa11_sicbl22_icb22_lad22_england.csv")
    df = l17[["LSOA11CD", "LSOA11NM", "CCG17CD", "STP17CD", "LAD17CD"]].rename(
        columns={"LSOA11CD": "lsoa11cd", "LSOA11NM": "lsoa11nm", "CCG17CD": "ccg17",
                 "STP17CD": "stp2017", "LAD17CD": "lad17"}
    )
    df = df.merge(l16[["LSOA11CD", "CCG16CD"]].rename(
        columns={"LSOA11CD": "lsoa11cd", "CCG16CD": "ccg16"}), on="lsoa11cd", validate="1:1")
    df = df.merge(l18[["LSOA11CD", "CCG18CD", "STP18CD", "LAD18CD"]].rename(
        columns={"LSOA11CD": "lsoa11cd", "CCG18CD": "ccg18", "STP18CD": "stp2018",
                 "LAD18CD": "lad18"}), on="lsoa11cd", validate="1:1")
    df = df.merge(l21[["lsoa11_code", "ccg21_code", "ltla21_code"]].rename(
        columns={"lsoa11_code": "lsoa11cd", "ccg21_code": "ccg21", "ltla21_code": "lad21"}),
        on="lsoa11cd", validate="1:1")
    df = df.merge(l22[["lsoa11_code", "sicbl22_code", "icb22_code", "ltla22_code"]].rename(
        columns={"lsoa11_code": "lsoa11cd", "sicbl22_code": "sicbl22", "icb22_code": "icb2022",
                 "ltla22_code": "lad22"}), on="lsoa11cd", validate="1:1")
    # No ONS LSOA lookup exists for the 2019 and 2020 CCGs. CCGs only ever merged, so an LSOA's 2019
    # (2020) CCG is its 2018 CCG if that code still existed, else its 2021 CCG if that code existed
    # then. The build fails if any LSOA is left unresolved.
    for year in (19, 20):
        ccg_stp = sh.csv(f"reference/ons_ccg{year}_to_stp{year}_apr20{year}.csv")
        valid = set(ccg_stp[f"CCG{year}CD"])
        ccg = df["ccg18"].where(df["ccg18"].isin(valid), df["ccg21"].where(df["ccg21"].isin(valid)))
        if ccg.isna().any():
            raise SystemExit(f"{ccg.isna().sum()} LSOAs have no 20{year} CCG")
        df[f"ccg{year}"] = ccg
        df[f"stp20{year}"] = ccg.map(ccg_stp.set_index(f"CCG{year}CD")[f"STP{year}CD"])
    df = df.merge(icb23_areas(sh), on="lsoa11cd", validate="1:1")
    df["icb2026"] = icb26_of_areas(sh, df).to_numpy()
    return df


def build(sh: Shared) -> pd.DataFrame:
    """LSOA attributes: centroid, deprivation, rurality, births, and every lookup."""
    df = build_lsoa_lookups(sh)
    cen = sh.csv("geography/lsoa11_population_weighted_centroids_ew.csv", encoding="utf-8-sig")
    cen = cen.rename(columns={"lsoa11cd": "lsoa11cd", "X": "lon", "Y": "lat"})
    df = df.merge(cen[["lsoa11cd", "lon", "lat"]], on="lsoa11cd", validate="1:1")
    df["easting"], df["northing"] = to_bng(df["lon"], df["lat"])
    imd19 = sh.csv("geography/lsoa11_imd2019_england.csv")
    df = df.merge(imd19[["lsoa11_code", "IMD_decile", "IMD_rank"]].rename(columns={
        "lsoa11_code": "lsoa11cd", "IMD_decile": "imd2019_decile", "IMD_rank": "imd2019_rank"}),
        on="lsoa11cd", validate="1:1")
    imd15 = sh.csv("geography/lsoa11_imd2015_england.csv")
    df = df.merge(imd15[["lsoa11_code", "IMD_score", "IMD_decile"]].rename(columns={
        "lsoa11_code": "lsoa11cd", "IMD_score": "imd2015_score", "IMD_decile": "imd2015_decile"}),
        on="lsoa11cd", validate="1:1")
    ruc = sh.csv("geography/lsoa11_rural_urban_classification_2011_ew.csv", encoding="utf-8-sig")
    df = df.merge(ruc[["LSOA11CD", "RUC11CD", "RUC11"]].rename(columns={
        "LSOA11CD": "lsoa11cd", "RUC11CD": "ruc11cd", "RUC11": "ruc11"}), on="lsoa11cd",
        validate="1:1")
    df["rural"] = df["ruc11cd"].str[0].isin(["D", "E"])
    births = sh.csv("geography/maternity/lsoa11name_stp_births_allen_2019.csv")
    df = df.merge(births[["LSOA", "Admissions"]].rename(columns={
        "LSOA": "lsoa11nm", "Admissions": "births"}), on="lsoa11nm", how="left", validate="1:1")
    # Social care sits with upper-tier councils: shire districts (E07) roll up to their county;
    # unitaries, metropolitan districts and London boroughs are their own upper tier.
    utla17 = sh.csv("reference/ons_ltla17_to_utla17_dec2017.csv").set_index("LTLA17CD")["UTLA17CD"]
    utla19 = sh.csv("reference/ons_ltla19_to_utla19_apr2019.csv").set_index("LTLA19CD")["UTLA19CD"]
    for lad, utla, lookup in (("lad17", "utla17", utla17), ("lad21", "utla21", utla19),
                              ("lad22", "utla22", utla19)):
        df[utla] = df[lad].where(df[lad].str[:3] != "E07", df[lad].map(lookup))
    for col in ("utla17", "utla21", "utla22"):
        if df[col].isna().any():
            raise SystemExit(f"unmapped councils in {col}: {df[df[col].isna()]['lad22'].unique()}")
    return df.sort_values("lsoa11cd").reset_index(drop=True)
