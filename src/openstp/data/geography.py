"""Footprint look-ups and summaries built on the reference tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openstp.data.models import Footprint
from openstp.data.reference import (
    check_footprint_set,
    footprint_population,
    footprints,
    organisations,
    records,
)
from openstp.errors import UnknownCodeError, problem

if TYPE_CHECKING:
    import pandas as pd


def resolve_footprint(query: str, footprint_set: str = "stp2017") -> Footprint:
    """Find one footprint by ONS code, ODS code or a unique fragment of its name."""
    rows = records("footprints", footprint_set)
    q = query.strip().casefold()
    hit = [r for r in rows if q in (r["code"].casefold(), (r["ods_code"] or "").casefold())]
    if not hit:
        hit = [r for r in rows if q in r["name"].casefold()]
    if len(hit) == 1:
        return Footprint(**hit[0], footprint_set=footprint_set)
    if not hit:
        msg = f"no footprint matches {query!r} in {footprint_set}; try `openstp footprints`"
    else:
        names = "; ".join(f"{r['code']} {r['name']}" for r in hit[:5])
        more = "; …" if len(hit) > 5 else ""
        msg = f"{query!r} matches {len(hit)} footprints in {footprint_set}: {names}{more}"
    raise UnknownCodeError([problem("footprint", msg)])


def footprint_summary(footprint_set: str = "stp2017", year: int | None = None) -> pd.DataFrame:
    """One row per footprint: codes, name, region, population and counts of its organisations."""
    import pandas as pd

    check_footprint_set(footprint_set)
    df = footprints(footprint_set)
    pop = footprint_population(footprint_set, year)
    orgs = organisations(footprint_set)
    orgs = orgs[orgs["kind"] != "icb"]  # an ICB's own row is the footprint itself
    local = ["ccg", "sub_icb_location", "council"]
    kinds = orgs.assign(group=orgs["kind"].where(orgs["kind"].isin(local), "trust"))
    counts = kinds.groupby(["footprint", "group"]).size().unstack(fill_value=0)
    df["population"] = df["code"].map(pop).astype("int64")
    # The STP sets and icb2022 list CCGs (icb2022: sub-ICB locations kept as CCG rows); the ICB
    # sets of 2023 and 2026 list sub-ICB locations.
    commissioners = (("sub_icb_location", "sub_icb_locations") if "sub_icb_location" in counts
                     else ("ccg", "ccgs"))
    for group, column in (commissioners, ("council", "councils"), ("trust", "trusts")):
        df[column] = df["code"].map(counts.get(group, pd.Series(dtype=int))).fillna(0).astype(int)
    return df


def footprint_organisations(code: str, footprint_set: str = "stp2017") -> pd.DataFrame:
    """The organisations of one footprint (its code): the ICB and its sub-ICB locations or the
    CCGs first, then councils, then trusts."""
    orgs = organisations(footprint_set)
    order = {"icb": 0, "sub_icb_location": 1, "ccg": 1, "council": 2}
    orgs = orgs[orgs["footprint"] == code]
    return orgs.sort_values(["kind", "name"], key=lambda s: s.map(order).fillna(3)
                            if s.name == "kind" else s).reset_index(drop=True)
