"""Each footprint's base general and acute beds, occupancy and bed pools from its own trusts.

For the 2017 footprints the baseline is the sum of the footprint's trusts' winter 2016/17 sitrep
returns (``trust_beds_2016_17``): beds open, and beds occupied turned into a year's mean by the
seasonal profile of the days the sitrep covered. A footprint with an acute trust that made no
return falls back to England's KH03 beds apportioned by inpatient-cost-weighted population, and
says so (``baseline_method``). Other footprint sets have no trust placement shipped, so they are
apportioned throughout.

Bed pools: every acute site is its own pool; a trust's beds are shared equally between its acute
sites (the Allen 2017 list), and a trust with none listed (a specialist trust) is one pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from openstp import data

SITREP_SET = "stp2017"
SITREP = ("trusts' G&A beds open and occupied, NHS England winter daily sitrep 2016/17 "
          "(1 Dec 2016 - 12 Mar 2017), summed over the footprint's trusts")
APPORTIONED = "England KH03 G&A beds apportioned by inpatient-cost-weighted population"


@dataclass(frozen=True)
class TrustBaseline:
    """Per footprint (f) and bed pool (k): what the trusts reported, where they reported."""

    beds: np.ndarray  # (f,) beds open, NaN where the footprint is apportioned
    occupied_winter: np.ndarray  # (f,) mean occupied over the sitrep days, NaN likewise
    pool_shares: np.ndarray  # (f, k) each pool's share of the footprint's beds; rows sum to 1
    methods: tuple[str, ...]  # (f,) how the footprint's baseline was made, in words


@lru_cache(maxsize=4)
def _acute_sites_per_trust() -> pd.Series:
    sites = data.table("hospital_sites")
    sites = sites[sites["acute_hospital_2017"] & sites["in_england"]]
    return sites["parent_ods_code"].value_counts()


def sitrep_days() -> pd.DatetimeIndex:
    """The calendar days the 2016/17 winter sitrep covers (its first to its last return)."""
    trusts = data.table("trust_beds_2016_17")
    return pd.date_range(trusts["first_day"].min(), trusts["last_day"].max(), freq="D")


def trust_baseline(footprint_set: str, footprints: tuple[str, ...],
                   equal_pools: np.ndarray) -> TrustBaseline:
    """The trusts' beds per footprint; ``equal_pools`` (f,) site counts for apportioned ones."""
    n = len(footprints)
    beds, occupied = np.full(n, np.nan), np.full(n, np.nan)
    methods = [f"apportioned: {APPORTIONED} (no trust placement for {footprint_set})"] * n
    pools: list[np.ndarray] = [np.full(int(k), 1 / k) for k in equal_pools]
    if footprint_set == SITREP_SET:
        trusts = data.table("trust_beds_2016_17")
        acute = data.organisations(footprint_set)
        acute = acute[acute["kind"] == "acute_trust"]
        per_site = _acute_sites_per_trust()
        for f, code in enumerate(footprints):
            mine = trusts[trusts["stp2017"] == code]
            expected = set(acute.loc[acute["footprint"] == code, "ods_code"].dropna())
            missing = sorted(expected - set(mine["counted_as"]))
            if missing or mine.empty:
                methods[f] = (f"apportioned: {APPORTIONED} (no winter sitrep return from "
                              f"{', '.join(missing) or 'any trust'})")
                continue
            beds[f], occupied[f] = mine["beds_open"].sum(), mine["beds_occupied"].sum()
            methods[f] = f"sitrep: {SITREP} ({len(mine)} trusts)"
            sites = mine["counted_as"].map(per_site).fillna(1).clip(lower=1).astype(int)
            pool_beds = np.repeat((mine["beds_open"] / sites).to_numpy(float), sites)
            pools[f] = pool_beds / pool_beds.sum()
    width = max(len(p) for p in pools)
    shares = np.zeros((n, width))
    for f, p in enumerate(pools):
        shares[f, : len(p)] = p
    return TrustBaseline(beds, occupied, shares, tuple(methods))
