"""``trusts``: every NHS trust of the 2017 footprints with the evidence the gap model shares
money by: general and acute beds (winter 2016/17), section 40 revenue support loans drawn in
2016/17 and, where a source names it, the trust's 2015/16 surplus or deficit."""

from __future__ import annotations

import pandas as pd

from reference.common import Shared

BEDS = "geography/trusts/winter_sitrep_ga_beds_by_trust_mean_2016_2019.csv"
LOANS = "finance/dhsc_section40_loans_by_trust_2016_17.csv"
TOP10 = "finance/trust_deficits_2015_16_top10_deteriorations.csv"
HEADLINES = "finance/provider_finance_2015_16_headlines.csv"
# Headline rows that name one trust's 2015/16 position, by the trust's ODS code
# HSJ's spelling of one trust's name, as the ODS list spells it
SPELLINGS = {"UNIVERSITY HOSPITAL OF NORTH MIDLANDS NHS TRUST":
             "UNIVERSITY HOSPITALS OF NORTH MIDLANDS NHS TRUST"}
# Trusts that merged by 2018, counted with their successor in the Health Foundation lookup
SUCCESSORS = {"RM2": "R0A", "RW3": "R0A", "RQQ": "RGN", "RFW": "RQM"}
HEADLINE_TRUSTS = {"Barts Health NHS Trust deficit (forecast": "R1H",
                   "London North West Healthcare NHS Trust deficit (forecast)": "R1K"}


def _pounds(column: pd.Series, scale: float) -> pd.Series:
    text = column.astype(str).str.replace(",", "", regex=False).str.strip()
    return pd.to_numeric(text, errors="coerce").fillna(0.0) * scale


def _named_deficits(sh: Shared, trusts: pd.DataFrame) -> pd.DataFrame:
    """2015/16 outturn (£, negative for a deficit) for trusts a source names, with the source."""
    top = sh.csv(TOP10)
    by_name = trusts.assign(key=trusts["name"].str.upper()).set_index("key")["code"]
    rows = pd.DataFrame({"code": top["trust"].str.upper().replace(SPELLINGS).map(by_name),
                         "position_2015_16": top["reported_outturn_2015_16_gbp_m"] * 1e6,
                         "position_source": "HSJ (2016), the trusts whose finances fell "
                                            "furthest: reported 2015/16 outturn"})
    if rows["code"].isna().any():
        raise SystemExit(f"named trusts not found: {top['trust'][rows['code'].isna()].tolist()}")
    head = sh.csv(HEADLINES)
    head = head[head["year"] == "2015-16"]
    for prefix, code in HEADLINE_TRUSTS.items():
        row = head[head["measure"].str.startswith(prefix)].iloc[0]
        rows.loc[len(rows)] = [code, row["value"] * 1e6, f"{row['source']}: forecast 2015/16"]
    return rows.drop_duplicates("code")


def build(sh: Shared, organisations: pd.DataFrame) -> pd.DataFrame:
    """One row per trust of the 2017 footprints: code, name, kind, G&A beds, loans, position."""
    orgs = organisations[(organisations["footprint_set"] == "stp2017")
                         & ~organisations["kind"].isin(["ccg", "council"])]
    trusts = orgs.drop_duplicates("code")[["code", "name", "kind"]].reset_index(drop=True)
    beds = sh.csv(BEDS)
    beds = beds[beds["winter"] == "2016-17"]
    beds = beds.groupby(beds["org_code"].replace(SUCCESSORS))["mean_total_beds_open"].sum()
    loans = sh.csv(LOANS)
    loans = loans[loans["Loan Type"].str.strip() == "Rev"]
    codes = loans["Code"].str.strip().replace(SUCCESSORS)
    drawn = _pounds(loans["Drawn in Year 2016-17"], 1e3).groupby(codes).sum()
    named = _named_deficits(sh, trusts).set_index("code")
    trusts["ga_beds_2016_17"] = trusts["code"].map(beds).fillna(0.0).round(1)
    trusts["s40_revenue_loans_2016_17"] = trusts["code"].map(drawn).fillna(0.0)
    trusts["position_2015_16"] = trusts["code"].map(named["position_2015_16"])
    trusts["position_source"] = trusts["code"].map(named["position_source"])
    return trusts
