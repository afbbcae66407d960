"""Build OpenSTP's built-in reference data from ``../shared/data`` into ``src/openstp/data``.

Run from the repository root:  python scripts/build_reference_data.py [--shared ../shared/data]

It needs the ``build`` extra (pyproj for British National Grid, openpyxl). The program itself never
reads ``../shared``: it reads only the Parquet tables and ``manifest.yaml`` this script writes.
Every table is listed in the manifest with its sources, licence and whether it is source or derived.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import string
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pyproj import Transformer
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "openstp" / "data"
AGES = [str(a) for a in range(90)] + ["90+"]
POPULATION_YEARS = (2017, 2019, 2020)
FOOTPRINT_SETS = ("stp2017", "stp2018", "stp2019", "stp2020", "icb2022")


class Shared:
    """Reads files below the shared data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def csv(self, rel: str, **kw) -> pd.DataFrame:
        return pd.read_csv(self.root / rel, **kw)


def strip_columns(df: pd.DataFrame) -> pd.DataFrame:
    df.columns = [c.strip().lstrip("\ufeff") for c in df.columns]
    return df.apply(lambda s: s.str.strip() if s.dtype == object or str(s.dtype) == "str" else s)


def to_bng(lon: pd.Series, lat: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    east, north = transformer.transform(lon.to_numpy(float), lat.to_numpy(float))
    return np.round(east, 1), np.round(north, 1)


# ---------------------------------------------------------------- small areas


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
    return df


def build_lsoas(sh: Shared) -> tuple[pd.DataFrame, pd.DataFrame]:
    """LSOA attributes (centroid, deprivation, rurality, births, lookups) and population by age."""
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
    df = df.sort_values("lsoa11cd").reset_index(drop=True)

    frames = []
    for year in POPULATION_YEARS:
        pop = sh.csv(f"geography/lsoa11_population_mid{year}_syoa_ew.csv.gz")
        pop = pop[pop["lsoa11_code"].str.startswith("E")].rename(columns={"lsoa11_code": "lsoa11cd"})
        pop = pop.set_index("lsoa11cd")[AGES].astype("int32").reindex(df["lsoa11cd"])
        if pop.isna().any().any():
            raise SystemExit(f"population {year} misses LSOAs")
        pop.insert(0, "year", year)
        frames.append(pop.reset_index())
    population = pd.concat(frames, ignore_index=True)
    return df, population


# ---------------------------------------------------------------- footprints


def build_footprints(sh: Shared) -> pd.DataFrame:
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
    for name, frame in zip(FOOTPRINT_SETS, (f17, f18, f19, f20, f22), strict=True):
        frame = frame.copy()
        if "ods_code" not in frame:
            # STP ODS (Q) codes were first published for 2020; an ONS code that is unchanged
            # since names the same footprint, so its 2020 ODS code is carried back (derived).
            frame["ods_code"] = frame["code"].map(ods_by_code)
        frame.insert(0, "footprint_set", name)
        out.append(frame[["footprint_set", "code", "ods_code", "name", "region_code",
                          "region_name"]])
    return pd.concat(out, ignore_index=True).sort_values(["footprint_set", "code"])


# ---------------------------------------------------------------- organisations


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


def build_organisations(sh: Shared, lsoas: pd.DataFrame, population: pd.DataFrame,
                        sites: pd.DataFrame) -> pd.DataFrame:
    """CCGs, upper-tier councils and trusts per footprint, for every footprint set."""
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
    for fset in FOOTPRINT_SETS:
        ccgs = population_shares(lsoas, pd.Series(pop_for_set[fset]), ccg_col[fset], fset)
        ccgs = ccgs.rename(columns={"org": "code"}).merge(
            ccg_names.drop_duplicates("code"), on="code", how="left")
        ccgs["kind"] = "ccg"
        councils = population_shares(lsoas, pd.Series(pop_for_set[fset]), council_col[fset], fset)
        councils = councils.rename(columns={"org": "code"}).merge(council_names, on="code",
                                                                  how="left")
        councils["kind"], councils["ods_code"] = "council", None
        trusts = place_trusts(sh, lsoas, sites, fset)
        for frame in (ccgs, councils, trusts):
            frame["footprint_set"] = fset
            frames.append(frame)
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


# ---------------------------------------------------------------- sites


def build_sites(sh: Shared, lsoas: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Hospital sites (NHS Choices 2018) with BNG coordinates, plus acute and stroke-unit lists."""
    from scipy.spatial import cKDTree

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
    pc_key = sites["postcode"].str.replace(" ", "")

    acute = sh.csv("geography/hospitals/acute_hospitals_england_allen_2017.csv")
    acute["pc"] = acute["hospital_postcode"].str.upper().str.replace(" ", "")
    nhs = sites[sites["sector"] == "NHS Sector"].assign(pc=pc_key)
    first_site = nhs.drop_duplicates("pc").set_index("pc")
    acute_out = pd.DataFrame({
        "postcode": acute["hospital_postcode"], "name": acute["hospital"], "city": acute["city"],
        "open_in_source": acute["provider"].astype(bool),
        "site_code": acute["pc"].map(first_site["site_code"]),
        "trust_code": acute["pc"].map(first_site["parent_ods_code"]),
    })
    sites["acute_hospital_2017"] = pc_key.isin(set(acute["pc"]))

    ssnap = sh.csv("geography/stroke/stroke_units_england_ssnap_2016_allen.csv")
    stroke16 = pd.DataFrame({
        "postcode": ssnap["Postcode"], "name": ssnap["Stroke Team"],
        "trust": ssnap["Health Board / Trust"], "network": ssnap["Strategic Clinical Network"],
        "easting": ssnap["Easting"].astype(float), "northing": ssnap["Northing"].astype(float),
        "routinely_admitting": ssnap["Routinely admitting acute team"].astype(bool),
    })
    s22 = sh.csv("geography/stroke/stroke_hospitals_2022.csv")
    s22 = s22[s22["Country"] == "England"]
    stroke22 = pd.DataFrame({
        "postcode": s22["Postcode"], "name": s22["SSNAP name"], "trust": s22["Stroke Team"],
        "thrombolysis": s22["Use_IVT"].astype(bool), "thrombectomy": s22["Use_MT"].astype(bool),
        "admissions_2021_22": s22["Admissions 21/22"],
        "easting": s22["Easting"].astype(float), "northing": s22["Northing"].astype(float),
        "lon": s22["long"].astype(float), "lat": s22["lat"].astype(float),
    })
    sites["stroke_unit_2016"] = pc_key.isin(set(stroke16["postcode"].str.replace(" ", "")))
    return {"hospital_sites": sites, "acute_hospitals_2017": acute_out,
            "stroke_units_2016": stroke16, "stroke_units_2022": stroke22}


# ---------------------------------------------------------------- service sites and travel (access)

NAME_STOPWORDS = {"hospital", "hospitals", "the", "nhs", "trust", "foundation", "university",
                  "general", "district", "and", "of", "site", "teaching", "hasu", "su"}
SPECIALIST_NAME = r"child|women|newborn|maternity"  # not an all-age emergency department


def postcode_key(s: pd.Series) -> pd.Series:
    """Postcodes compared without spaces and in upper case (``B15 2TH`` → ``B152TH``)."""
    return s.astype(str).str.upper().str.replace(" ", "", regex=False).str.strip()


def name_tokens(name: object) -> list[str]:
    """The distinctive words of a hospital name: first segment, no punctuation or filler."""
    head = str(name).split(";")[0].split(",")[0].lower()
    words = re.findall(r"[a-z0-9]+", head.replace("'", "").replace("\u2019", ""))
    return [w for w in words if w not in NAME_STOPWORDS]


def name_score(a: object, b: object) -> float:
    """Name similarity in [0, 1]: the better of sequence similarity and word containment."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    seq = difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    short = min(len(set(ta)), len(set(tb)))
    contained = len(set(ta) & set(tb)) / short if short >= 2 else 0.0
    return round(max(seq, contained), 3)


def service_source_records(sh: Shared) -> pd.DataFrame:
    """Every hospital of the four service lists as one record: list, postcode, name, flags."""
    g = "geography/"
    acute = sh.csv(g + "hospitals/acute_hospitals_england_allen_2017.csv")
    neo = sh.csv(g + "maternity/neonatal_units_england_allen_2019.csv")
    s16 = sh.csv(g + "stroke/stroke_units_england_ssnap_2016_allen.csv")
    s22 = sh.csv(g + "stroke/stroke_hospitals_2022.csv")
    s22 = s22[s22["Country"] == "England"]
    s22_name = s22["SSNAP name"].where(~s22["SSNAP name"].str.startswith("None"), s22["Stroke Team"])
    frames = [
        pd.DataFrame({"source": "acute2017", "postcode": acute["hospital_postcode"],
                      "source_name": acute["hospital"]}),
        pd.DataFrame({"source": "neonatal2019", "postcode": neo["Postcode"],
                      "source_name": neo["hospital"], "neonatal_level": neo["neonatal_level"]}),
        pd.DataFrame({"source": "ssnap2016", "postcode": s16["Postcode"],
                      "source_name": s16["Stroke Team"], "trust_name": s16["Health Board / Trust"],
                      "easting": s16["Easting"].astype(float),
                      "northing": s16["Northing"].astype(float)}),
        pd.DataFrame({"source": "stroke2022", "postcode": s22["Postcode"], "source_name": s22_name,
                      "trust_name": s22["Health Board / Trust"],
                      "easting": s22["Easting"].astype(float),
                      "northing": s22["Northing"].astype(float),
                      "thrombolysis": s22["Use_IVT"].astype(bool),
                      "thrombectomy": s22["Use_MT"].astype(bool),
                      "admissions": s22["Admissions 21/22"]}),
    ]
    recs = pd.concat(frames, ignore_index=True)
    recs["key"] = postcode_key(recs["postcode"])
    return recs


def place_site(key: str, name: str, trust: object, east: float, north: float,
               nhs: pd.DataFrame) -> tuple[str | None, str, float]:
    """Find the NHS Choices site of one source hospital: (site code, rule, name score).

    Rules, in order: ``postcode`` (the only NHS trust site at that postcode, unless its name
    scores under 0.5 and a better-named site lies nearby), ``postcode_name`` (several sites at
    the postcode: the best-named), ``name_nearby`` (a site within 3 km of the source's own
    coordinates, or in the same postcode district, whose name scores at least 0.55), else
    ``unmatched``. Where the source names a trust, that trust's sites are preferred.
    """
    def best(cands: pd.DataFrame) -> tuple[str, float]:
        if isinstance(trust, str):  # sites of the source's own trust first
            same = cands["parent_name"].map(lambda n: name_score(trust, n)) >= 0.8
            cands = cands[same] if same.any() else cands
        score = cands["name"].map(lambda n: name_score(name, n))
        i = score.idxmax()
        return cands.at[i, "site_code"], float(score[i])

    at_pc = nhs[nhs["pc"] == key]
    if np.isnan(east):
        near = nhs[nhs["pc"].str[:-3] == key[:-3]]
    else:
        near = nhs[np.hypot(nhs["easting"] - east, nhs["northing"] - north) < 3_000]
    if len(at_pc) == 1:
        code, score = at_pc["site_code"].iloc[0], name_score(name, at_pc["name"].iloc[0])
        if score >= 0.5 or near.empty:
            return code, "postcode", score
        alt, alt_score = best(near)
        return (alt, "name_nearby", alt_score) if alt_score >= 0.5 else (code, "postcode", score)
    if len(at_pc) > 1:
        code, score = best(at_pc)
        return code, "postcode_name", score
    if not near.empty:
        code, score = best(near)
        if score >= 0.55:
            return code, "name_nearby", score
    return None, "unmatched", 0.0


def type1_trusts(sh: Shared) -> pd.Series:
    """Type 1 A&E attendances per trust, April 2016 to March 2019 (NHS England monthly returns)."""
    ae = sh.csv("geography/trusts/ae_attendances_by_trust_monthly_2016_2019_nhsr.csv", dtype=str)
    ae = ae[ae["type"] == "1"]
    return ae.assign(n=ae["attendances"].astype(int)).groupby("org_code")["n"].sum()


def build_service_sites(sh: Shared, lsoas: pd.DataFrame,
                        hospital_sites: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Sites offering ED, maternity, neonatal and stroke care, and one row per match decision.

    The four service lists share postcodes, so one physical site is one postcode; each is placed
    on an NHS Choices site (ODS code and coordinates) by ``place_site`` or, failing that, on a
    stroke list's own coordinates. Service flags follow the rules written into ``ed_rule`` and the
    manifest; ``reviewed`` rows of reference_sources.yaml add or remove a service by hand, each
    with its reason. Hospitals that cannot be placed are listed, not guessed.
    """
    catalogue = yaml.safe_load(Path(__file__).with_name("reference_sources.yaml").read_text())
    review = pd.DataFrame(catalogue["service_site_review"])
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
    sites["matrix_key"] = None  # filled by build_travel_matrix

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
    return {"service_sites": located, "service_site_matches": matches.reset_index(drop=True)}


def build_travel_matrix(sh: Shared, lsoas: pd.DataFrame,
                        service_sites: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Calibrated road minutes from every England LSOA to the England sites the matrix covers.

    One column per site, named by its postcode without a space; values are tenths of a minute
    as unsigned 16-bit integers, 0 meaning no route (Isles of Scilly 001A, which the source
    omits). Cells over 500 minutes are kept as published: the program screens them. Returns the
    matrix and the site table with ``matrix_key`` (the site's column, if any) filled in.
    """
    path = sh.root / "geography/travel/lsoa_travel_time_matrix_calibrated.csv.gz"
    raw = pd.read_csv(path)
    keys = postcode_key(service_sites["postcode"])
    cols = [c for c in raw.columns[1:] if c in set(keys)]
    by_name = lsoas.set_index("lsoa11nm")["lsoa11cd"]
    raw = raw[raw["LSOA"].isin(by_name.index)]
    minutes = raw.set_index(raw["LSOA"].map(by_name))[cols].reindex(lsoas["lsoa11cd"])
    tenths = np.rint(minutes.to_numpy(float) * 10)
    tenths = np.where(np.isnan(tenths), 0, tenths).astype(np.uint16)
    out = pd.DataFrame(tenths, columns=cols)
    out.insert(0, "lsoa11cd", lsoas["lsoa11cd"].to_numpy())
    sites = service_sites.copy()
    sites["matrix_key"] = keys.where(keys.isin(cols)).to_numpy()
    return {"service_sites": sites, "travel_minutes": out}


# ---------------------------------------------------------------- demography and costs


def build_projections(sh: Shared) -> dict[str, pd.DataFrame]:
    """ONS 2016-based projections: England by age and sex; councils' 60+ by age."""
    npp = sh.csv("more/ons_npp2016_england_principal_syoa_sex_2016_2116.csv").copy()
    years = [str(y) for y in range(2016, 2042)]
    age = npp["Age"].astype(str)
    # The model's top band is 90+, as in the small-area estimates.
    npp["age"] = np.where(age.str.isdigit() & (pd.to_numeric(age, errors="coerce") < 90),
                          age, "90+")
    npp["sex"] = npp["Sex"].map({1: "male", 2: "female"})
    national = (npp.groupby(["sex", "age"], sort=False)[years].sum().reset_index()
                .melt(id_vars=["sex", "age"], var_name="year", value_name="persons"))
    national["year"] = national["year"].astype(int)
    snpp = sh.csv("more/ons_snpp2016_lad_persons_age60plus_2016_2041.csv.gz")
    snpp["age"] = np.where(snpp["AGE_GROUP"] >= 90, "90+", snpp["AGE_GROUP"].astype(str))
    lad = (snpp.rename(columns={"AREA_CODE": "lad"}).melt(
        id_vars=["lad", "age"], value_vars=years, var_name="year", value_name="persons"))
    lad["year"] = lad["year"].astype(int)
    return {"npp2016_england": national, "snpp2016_lad_60plus": lad}


def build_cost_curves(sh: Shared) -> pd.DataFrame:
    """NHS spend per head in 2014/15 by age, sex and deprivation quintile (Asaria, York)."""
    a = sh.csv("more/asaria_nhs_spend_by_age_sex_imd_2011_2014_long.csv")
    a["age"] = a["age"].astype(str).str.replace("+", "", regex=False).astype(int)
    pop = a[a["sheet"] == "2014 population"].set_index(["age", "sex_group", "imd_quintile"])["value"]
    frames = []
    for component, sheet in (("inpatient", "2014 inpatient total"),
                             ("outpatient", "2014 outpatient total"),
                             ("gp_and_pharma", "2014 GP and pharma total")):
        tot = a[a["sheet"] == sheet].set_index(["age", "sex_group", "imd_quintile"])["value"]
        frames.append(per_head(tot, pop, component))
    overall = a[(a["sheet"] == "2014 overall results")
                & a["imd_quintile"].isin(["Q1", "Q2", "Q3", "Q4", "Q5"])
                & a["sex_group"].isin(["Male", "Female", "Overall"])]
    frames.append(pd.DataFrame({
        "component": "total", "age": overall["age"],
        "sex": overall["sex_group"].str.lower().replace({"overall": "persons"}),
        "imd_quintile": overall["imd_quintile"].str[1].astype(int),
        "gbp_per_head": overall["value"],
    }))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["component", "sex", "imd_quintile", "age"]).reset_index(drop=True)


def per_head(total: pd.Series, pop: pd.Series, component: str) -> pd.DataFrame:
    df = pd.DataFrame({"total": total, "pop": pop}).reset_index()
    both = df.groupby(["age", "imd_quintile"], as_index=False)[["total", "pop"]].sum()
    both["sex_group"] = "persons"
    df = pd.concat([df, both], ignore_index=True)
    return pd.DataFrame({
        "component": component, "age": df["age"], "sex": df["sex_group"].str.lower(),
        "imd_quintile": df["imd_quintile"].str[1].astype(int),
        "gbp_per_head": df["total"] / df["pop"],
    })


# ---------------------------------------------------------------- writing


def write_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Write each table as Parquet and the manifest naming its sources, licence and kind."""
    catalogue = yaml.safe_load((Path(__file__).with_name("reference_sources.yaml")).read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"about": catalogue["about"], "licence": catalogue["licence"], "tables": {}}
    for name, df in tables.items():
        spec = catalogue["tables"][name]
        path = OUT / f"{name}.parquet"
        df.to_parquet(path, index=False, compression="zstd")
        manifest["tables"][name] = {
            "file": path.name,
            "title": spec["title"],
            "kind": spec["kind"],
            "rows": len(df),
            "columns": list(map(str, df.columns)),
            "description": spec["description"],
            "method": spec.get("method"),
            "sources": [catalogue["sources"][s] for s in spec["sources"]],
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    with open(OUT / "manifest.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(manifest, fh, sort_keys=False, allow_unicode=True, width=100)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    sh = Shared(args.shared)
    lsoas, population = build_lsoas(sh)
    site_tables = build_sites(sh, lsoas)
    access = build_service_sites(sh, lsoas, site_tables["hospital_sites"])
    access.update(build_travel_matrix(sh, lsoas, access["service_sites"]))
    tables = {
        "footprints": build_footprints(sh),
        "lsoas": lsoas,
        "lsoa_population": population,
        "organisations": build_organisations(sh, lsoas, population, site_tables["hospital_sites"]),
        **site_tables,
        **access,
        **build_projections(sh),
        "cost_per_head_2014": build_cost_curves(sh),
    }
    write_tables(tables)
    for name, df in tables.items():
        print(f"{name:24s} {len(df):>8,d} rows")


if __name__ == "__main__":
    main()
