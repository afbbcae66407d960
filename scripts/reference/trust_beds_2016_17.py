"""``trust_beds_2016_17``: each trust's general and acute beds open and occupied over winter
2016/17 (NHS England's daily winter sitrep, 1 December 2016 to 12 March 2017), placed in its
2017 footprint.

Beds open are the mean of ``total_beds_open`` over the days reported (in 2016/17 some trusts
report core and escalation beds as 0 but give a total); occupied beds are the mean over the days
with a return (a day reporting 0 occupied is a missing return, not an empty hospital). Each trust
is placed by the Health Foundation's acute trust to STP lookup, else by the footprint the
organisations table gives its ODS code (specialist trusts); trusts merged by 2017/18 are placed
with their successor (RM2, RW3 → R0A; RQQ → RGN), and keep their own code.
"""

from __future__ import annotations

import pandas as pd

from reference.common import Shared, strip_columns

DAILY = "geography/trusts/winter_sitrep_ga_beds_by_trust_daily_2016_2019.csv"
HF_LOOKUP = "reference/hf_trust_to_stp17_lookup_2018.csv"
WINTER = "2016-17"
SUCCESSORS = {"RM2": "R0A", "RW3": "R0A", "RQQ": "RGN"}
"""Trusts that reported in 2016/17 and merged before the 2017/18 lookup was written."""


def build(sh: Shared, organisations: pd.DataFrame) -> pd.DataFrame:
    """One row per trust that reported: beds open and occupied (means), occupancy, footprint."""
    daily = sh.csv(DAILY, parse_dates=["date"])
    daily = daily[daily["winter"] == WINTER]
    occupied = daily["total_beds_occupied"].where(daily["total_beds_occupied"] > 0)
    by_trust = daily.assign(occupied=occupied).groupby("org_code")
    table = pd.DataFrame({
        "org_name": by_trust["org_name"].first(),
        "days_reported": by_trust["date"].nunique(),
        "days_with_occupied": by_trust["occupied"].count(),
        "first_day": by_trust["date"].min().dt.strftime("%Y-%m-%d"),
        "last_day": by_trust["date"].max().dt.strftime("%Y-%m-%d"),
        "beds_open": by_trust["total_beds_open"].mean().round(1),
        "beds_occupied": by_trust["occupied"].mean().round(1),
    }).reset_index(names="org_code")
    table["occupancy"] = (table["beds_occupied"] / table["beds_open"]).round(4)
    hf = strip_columns(sh.csv(HF_LOOKUP, encoding="utf-8-sig")).set_index("code")["STP_code"]
    stp2017 = organisations[organisations["footprint_set"] == "stp2017"]
    own = stp2017.dropna(subset=["ods_code"]).drop_duplicates("ods_code").set_index(
        "ods_code")["footprint"]
    placed_as = table["org_code"].map(lambda c: SUCCESSORS.get(c, c))
    table["counted_as"] = placed_as
    table["stp2017"] = placed_as.map(hf).fillna(placed_as.map(own))
    table["placement"] = (placed_as.map(lambda c: "hf_lookup" if c in hf.index else
                                        ("organisations" if c in own.index else "unplaced"))
                          .where(placed_as == table["org_code"], "successor"))
    return table.sort_values("org_code").reset_index(drop=True)
