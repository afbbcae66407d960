"""Footprint look-ups and summaries built on the reference tables."""

from __future__ import annotations

import pandas as pd

from openstp.data.models import Footprint
from openstp.data.reference import (
    check_footprint_set,
    footprint_population,
    footprints,
    organisations,
)
from openstp.errors import UnknownCodeError, problem


def resolve_footprint(query: str, footprint_set: str = "stp2017") -> Footprint:
    """Find one footprint by ONS code, ODS code or a unique fragment of its name."""
    df = footprints(footprint_set)
    q = query.strip().casefold()
    hit = df[(df["code"].str.casefold() == q) | (df["ods_code"].fillna("").str.casefold() == q)]
    if hit.empty:
        hit = df[df["name"].str.casefold().str.contains(q, regex=False)]
    if len(hit) == 1:
        row = hit.iloc[0]
        return Footprint(code=row["code"], ods_code=None if pd.isna(row["ods_code"])
                         else row["ods_code"], name=row["name"], region_code=row["region_code"],
                         region_name=row["region_name"], footprint_set=footprint_set)
    if hit.empty:
        msg = f"no footprint matches {query!r} in {footprint_set}; try `openstp footprints`"
    else:
        names = "; ".join(f"{c} {n}" for c, n in zip(hit["code"][:5], hit["name"][:5],
                                                     strict=True))
        more = "; …" if len(hit) > 5 else ""
        msg = f"{query!r} matches {len(hit)} footprints in {footprint_set}: {names}{more}"
    raise UnknownCodeError([problem("footprint", msg)])


def footprint_summary(footprint_set: str = "stp2017", year: int | None = None) -> pd.DataFrame:
    """One row per footprint: codes, name, region, population and counts of its organisations."""
    check_footprint_set(footprint_set)
    df = footprints(footprint_set)
    pop = footprint_population(footprint_set, year)
    orgs = organisations(footprint_set)
    kinds = orgs.assign(group=orgs["kind"].where(orgs["kind"].isin(["ccg", "council"]), "trust"))
    counts = kinds.groupby(["footprint", "group"]).size().unstack(fill_value=0)
    df["population"] = df["code"].map(pop).astype("int64")
    for group, column in (("ccg", "ccgs"), ("council", "councils"), ("trust", "trusts")):
        df[column] = df["code"].map(counts.get(group, pd.Series(dtype=int))).fillna(0).astype(int)
    return df


def footprint_organisations(code: str, footprint_set: str = "stp2017") -> pd.DataFrame:
    """The organisations of one footprint (ONS code), CCGs first, then councils and trusts."""
    orgs = organisations(footprint_set)
    order = {"ccg": 0, "council": 1}
    orgs = orgs[orgs["footprint"] == code]
    return orgs.sort_values(["kind", "name"], key=lambda s: s.map(order).fillna(2)
                            if s.name == "kind" else s).reset_index(drop=True)
