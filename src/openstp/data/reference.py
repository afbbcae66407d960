"""Typed loaders for the built-in reference tables, each checked against its schema on load.

The tables are Parquet files built by ``scripts/build_reference_data.py``; ``manifest.yaml`` beside
them names every table's sources and licence. Loaded tables are cached and returned as copies.
``records`` reads a small table as plain rows without pandas, so checking a plan starts fast.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from openstp.defaults import FOOTPRINT_SETS
from openstp.errors import OpenSTPError, problem

if TYPE_CHECKING:  # pandas takes half a second to import: only tables that need it load it
    import pandas as pd

DATA_DIR = Path(__file__).resolve().parent
POPULATION_YEARS = (2017, 2019, 2020)
AGES = tuple([str(a) for a in range(90)] + ["90+"])

# Columns each table must have, with the pandas dtype kind they must hold
# (O/T: text, i: integer, f: float, b: bool). Key columns may not be empty.
SCHEMAS: dict[str, dict[str, str]] = {
    "footprints": {"footprint_set": "T", "code": "T", "ods_code": "T", "name": "T",
                   "region_code": "T", "region_name": "T"},
    "organisations": {"footprint_set": "T", "footprint": "T", "code": "T", "ods_code": "T",
                      "name": "T", "kind": "T", "share": "f", "placement": "T"},
    "lsoas": {"lsoa11cd": "T", "lsoa11nm": "T", "lon": "f", "lat": "f", "easting": "f",
              "northing": "f", "imd2019_decile": "i", "imd2015_score": "f", "ruc11cd": "T",
              "rural": "b", "births": "f", **{s: "T" for s in FOOTPRINT_SETS}},
    "lsoa_population": {"lsoa11cd": "T", "year": "i", **{a: "i" for a in AGES}},
    "hospital_sites": {"site_code": "T", "name": "T", "easting": "f", "northing": "f",
                       "parent_ods_code": "T", "acute_hospital_2017": "b",
                       "stroke_unit_2016": "b"},
    "acute_hospitals_2017": {"postcode": "T", "name": "T", "site_code": "T"},
    "stroke_units_2016": {"postcode": "T", "name": "T", "easting": "f", "northing": "f"},
    "stroke_units_2022": {"postcode": "T", "name": "T", "thrombolysis": "b",
                          "thrombectomy": "b", "easting": "f", "northing": "f"},
    "service_sites": {"site_id": "T", "name": "T", "easting": "f", "northing": "f", "ed": "b",
                      "maternity": "b", "neonatal": "b", "stroke": "b", "thrombectomy": "b"},
    "service_site_matches": {"source": "T", "rule": "T"},
    "travel_minutes": {"lsoa11cd": "T"},
    "npp2016_england": {"sex": "T", "age": "T", "year": "i", "persons": "i"},
    "snpp2016_lad_60plus": {"lad": "T", "age": "T", "year": "i", "persons": "f"},
    "cost_per_head_2014": {"component": "T", "age": "i", "sex": "T", "imd_quintile": "i",
                           "gbp_per_head": "f"},
    "icb_crosswalk": {"icb2023": "T", "icb2026": "T", "population": "i", "share_of_icb2023": "f",
                      "share_of_icb2026": "f"},
    "icb_trust_catchments": {"footprint_set": "T", "trust": "T", "footprint": "T", "share": "f"},
    "icb_weighted_populations": {"allocation_year": "T", "icb": "T", "name": "T",
                                 "population": "f", "ga_wp": "f", "cs_wp": "f", "mh_wp": "f",
                                 "mat_wp": "f", "hi_wp": "f", "prescr_wp": "f", "core_wp": "f",
                                 "pmc_wp": "f", "population_basis": "T"},
    "icb_trust_beds_monthly": {"trust": "T", "month": "T", "ga_beds_available": "f",
                               "ga_beds_occupied": "f"},
    "icb_beds_monthly": {"footprint_set": "T", "footprint": "T", "month": "T",
                         "ga_beds_available": "f", "ga_beds_occupied": "f",
                         "trusts_reporting": "i"},
    "trusts": {"code": "T", "name": "T", "kind": "T", "ga_beds_2016_17": "f",
               "s40_revenue_loans_2016_17": "f", "position_2015_16": "f"},
    "trust_beds_2016_17": {"org_code": "T", "days_reported": "i", "beds_open": "f",
                           "beds_occupied": "f", "occupancy": "f", "stp2017": "T"},
    "stp_boundaries_2017": {"code": "T", "name": "T", "ring": "i", "hole": "b", "order": "i",
                            "lon": "f", "lat": "f"},
    "regions_boundaries": {"code": "T", "name": "T", "ring": "i", "hole": "b", "order": "i",
                           "lon": "f", "lat": "f"},
}
KEYS = {"footprints": ["code", "name"], "organisations": ["footprint", "code", "name", "kind"],
        "lsoas": ["lsoa11cd", *FOOTPRINT_SETS], "lsoa_population": ["lsoa11cd"],
        "service_sites": ["site_id", "easting", "northing"], "travel_minutes": ["lsoa11cd"],
        "trusts": ["code", "name"],
        "trust_beds_2016_17": ["org_code", "stp2017", "beds_open", "beds_occupied"],
        "stp_boundaries_2017": ["code", "lon", "lat"], "regions_boundaries": ["code", "lon", "lat"]}


class ReferenceDataError(OpenSTPError):
    """A built-in table is missing or does not match its schema (a broken install)."""


def _kind_ok(series: pd.Series, kind: str) -> bool:
    import pandas as pd

    if kind == "T":
        return series.dtype == object or pd.api.types.is_string_dtype(series)
    return series.dtype.kind == kind or (kind == "f" and series.dtype.kind == "i")


def _path(name: str) -> Path:
    if name not in SCHEMAS:
        raise KeyError(f"unknown reference table {name!r}; known: {', '.join(SCHEMAS)}")
    path = DATA_DIR / f"{name}.parquet"
    if not path.exists():
        raise ReferenceDataError([problem(str(path), "built-in table missing; reinstall openstp")])
    return path


@cache
def _load(name: str) -> pd.DataFrame:
    import pandas as pd

    path = _path(name)
    df = pd.read_parquet(path)
    problems = [
        problem(str(path), f"expected kind {kind}, found {df[col].dtype}"
                if col in df else "column missing", field=col)
        for col, kind in SCHEMAS[name].items()
        if col not in df or not _kind_ok(df[col], kind)
    ]
    problems += [problem(str(path), "empty values in a key column", field=col)
                 for col in KEYS.get(name, []) if col in df and df[col].isna().any()]
    if problems:
        raise ReferenceDataError(problems)
    return df


def table(name: str) -> pd.DataFrame:
    """A copy of built-in table ``name`` (see ``manifest()`` for the list and their sources)."""
    _path(name)
    return _load(name).copy()


@cache
def _columns(name: str) -> dict[str, list[Any]]:
    import pyarrow.parquet as pq

    path = _path(name)
    columns = pq.ParquetFile(path).read(use_pandas_metadata=False).to_pydict()
    missing = [col for col in SCHEMAS[name] if col not in columns]
    if missing:
        raise ReferenceDataError([problem(str(path), "column missing", field=col)
                                  for col in missing])
    return columns


def records(name: str, footprint_set: str | None = None) -> list[dict[str, Any]]:
    """Rows of a small built-in table as plain dicts (no pandas), optionally of one footprint set.

    Missing text is ``None``. For lookups that must start fast, such as checking a plan. The
    rows are made once per process and shared: read them, never change them.
    """
    if footprint_set is not None:
        check_footprint_set(footprint_set)
    return list(_records(name, footprint_set))


def columns(name: str) -> dict[str, list[Any]]:
    """A small built-in table as lists by column name (shared: read, never change)."""
    return _columns(name)


@cache
def _records(name: str, footprint_set: str | None) -> tuple[dict[str, Any], ...]:
    table = _columns(name)
    rows = [dict(zip(table, values, strict=True)) for values in zip(*table.values(),
                                                                     strict=True)]
    if footprint_set is None:
        return tuple(rows)
    return tuple({k: v for k, v in row.items() if k != "footprint_set"} for row in rows
                 if row["footprint_set"] == footprint_set)


@cache
def manifest() -> dict:
    """The manifest: every table's title, kind (source or derived), sources and licence."""
    return yaml.safe_load((DATA_DIR / "manifest.yaml").read_text(encoding="utf-8"))


def check_footprint_set(footprint_set: str) -> str:
    """Return ``footprint_set`` if known, else raise a one-line error naming the allowed sets."""
    if footprint_set not in FOOTPRINT_SETS:
        raise ReferenceDataError([problem(
            "--set", f"unknown footprint set {footprint_set!r}; allowed: {', '.join(FOOTPRINT_SETS)}",
            field="footprint_set")])
    return footprint_set


def footprints(footprint_set: str = "stp2017") -> pd.DataFrame:
    """Footprints of a set: ONS code, ODS code, name and NHS England region."""
    return _of_set("footprints", check_footprint_set(footprint_set)).copy()


def organisations(footprint_set: str = "stp2017") -> pd.DataFrame:
    """CCGs, upper-tier councils and trusts per footprint, with population shares of split ones."""
    return _of_set("organisations", check_footprint_set(footprint_set)).copy()


@cache
def _of_set(name: str, footprint_set: str) -> pd.DataFrame:
    df = _load(name)
    df = df[df["footprint_set"] == footprint_set]
    return df.drop(columns="footprint_set").reset_index(drop=True)


def lsoas() -> pd.DataFrame:
    """England's 32,844 LSOAs (2011) with centroid, deprivation, rurality and footprints."""
    return table("lsoas")


def lsoa_population(year: int | None = None) -> pd.DataFrame:
    """Population by single year of age (columns '0'…'89', '90+') per LSOA; latest year default."""
    year = POPULATION_YEARS[-1] if year is None else year
    if year not in POPULATION_YEARS:
        raise ReferenceDataError([problem("--year", f"no population for mid-{year}; available: "
                                          f"{', '.join(map(str, POPULATION_YEARS))}")])
    df = _load("lsoa_population")
    return df[df["year"] == year].drop(columns="year").set_index("lsoa11cd")


def footprint_population(footprint_set: str = "stp2017", year: int | None = None,
                         by_age: bool = False) -> pd.Series | pd.DataFrame:
    """Population of each footprint (sum of its LSOAs), in total or by single year of age."""
    year = POPULATION_YEARS[-1] if year is None else year
    by = _footprint_population(check_footprint_set(footprint_set), year).copy()
    return by if by_age else by.sum(axis=1).rename("population")


@cache  # reference data only: every review, what-if and report asks for it
def _footprint_population(footprint_set: str, year: int) -> pd.DataFrame:
    pop = lsoa_population(year)
    keys = _load("lsoas").set_index("lsoa11cd")[footprint_set].reindex(pop.index)
    by = pop.groupby(keys.to_numpy()).sum()
    by.index.name = "footprint"
    return by
