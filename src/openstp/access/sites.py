"""Service sites: the built-in table (``service_sites``) or a user's CSV, and finding a site by
code, postcode or name.

A user's site table needs ``site_id``, ``name``, either ``easting``/``northing`` (British
National Grid metres) or ``lat``/``lon`` (WGS84), and one true/false column per service it
describes (``ed``, ``maternity``, ``neonatal``, ``stroke``, ``thrombectomy``). ``postcode`` and
``site_code`` are optional and only help matching a travel-time matrix and plan files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from openstp import data
from openstp.access.services import SERVICES
from openstp.data.sites import match_site
from openstp.errors import InputFileError, UnknownCodeError, problem

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}
_BNG_BOUNDS = ((0, 700_000), (0, 1_300_000))


def builtin_sites() -> pd.DataFrame:
    """The built-in site table: every site with its service flags and how it was matched."""
    return data.table("service_sites")


def postcode_key(values: pd.Series) -> pd.Series:
    """Postcodes compared without spaces and in upper case."""
    return values.fillna("").astype(str).str.upper().str.replace(" ", "", regex=False)


def read_sites(path: str | Path) -> pd.DataFrame:
    """A user's site table (CSV), checked: every problem is reported with its line and column."""
    name = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputFileError([problem(name, "file not found")]) from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputFileError([problem(name, f"not a readable CSV file: {exc}")]) from None
    raw.columns = [c.strip().lower() for c in raw.columns]
    problems = [problem(name, "column missing", field=c) for c in ("site_id", "name")
                if c not in raw]
    grid = {"easting", "northing"} <= set(raw)
    geo = {"lat", "lon"} <= set(raw)
    if not grid and not geo:
        problems.append(problem(name, "give easting and northing (BNG metres) or lat and lon",
                                field="coordinates"))
    if problems:
        raise InputFileError(problems)
    out = pd.DataFrame({"site_id": raw["site_id"].str.strip(), "name": raw["name"].str.strip()})
    out["site_code"] = raw.get("site_code", out["site_id"]).replace("", np.nan)
    out["postcode"] = raw.get("postcode", pd.Series("", index=raw.index)).replace("", np.nan)
    coords = ("easting", "northing") if grid else ("lon", "lat")
    for col in coords:
        num = pd.to_numeric(raw[col], errors="coerce")
        for i in np.flatnonzero(num.isna()):
            problems.append(problem(name, f"not a number: {raw[col].iloc[i]!r}", int(i) + 2, col))
        out[col] = num
    for service in SERVICES:
        if service not in raw:
            continue
        text = raw[service].str.strip().str.lower()
        bad = ~text.isin(_TRUE | _FALSE)
        for i in np.flatnonzero(bad):
            problems.append(problem(name, f"not true/false: {raw[service].iloc[i]!r}", int(i) + 2,
                                    service))
        out[service] = text.isin(_TRUE)
    for i in np.flatnonzero(out["site_id"].eq("") | out["site_id"].duplicated()):
        problems.append(problem(name, "empty or repeated site_id", int(i) + 2, "site_id"))
    if problems:
        raise InputFileError(problems)
    if not grid:
        out["easting"], out["northing"] = to_bng(out["lon"], out["lat"])
    for col, (lo, hi) in zip(("easting", "northing"), _BNG_BOUNDS, strict=True):
        for i in np.flatnonzero(~out[col].between(lo, hi)):
            problems.append(problem(name, f"{out[col].iloc[i]:.0f} is outside Great Britain",
                                    int(i) + 2, col))
    if problems:
        raise InputFileError(problems)
    # A postcode the shipped road matrix knows gives that site road times too.
    out["matrix_key"] = postcode_key(out["postcode"]).replace("", np.nan)
    return out


def to_bng(lon: pd.Series, lat: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude/latitude to British National Grid easting/northing (metres)."""
    from pyproj import Transformer

    transformer = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    east, north = transformer.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(east), np.asarray(north)


def sites_offering(service: str, sites: pd.DataFrame, source: str = "site table") -> pd.DataFrame:
    """The sites of ``sites`` that offer ``service``, in a stable order."""
    if service not in sites:
        raise InputFileError([problem(source, f"no column {service!r}: the table does not say "
                                      "which sites offer this service", field=service)])
    out = sites[sites[service].astype(bool)].reset_index(drop=True)
    if out.empty:
        raise UnknownCodeError([problem(source, f"no site offers {service}", field=service)])
    return out


def resolve_site(query: str, sites: pd.DataFrame, field: str = "site") -> int:
    """Row of ``sites`` named by ``query``: a site id or ODS code, a postcode, or a unique name
    fragment (``openstp.data.sites.match_site``, the matcher plan checks use too)."""
    columns = {c: sites[c].tolist() for c in ("site_id", "site_code", "postcode", "name")
               if c in sites}
    return match_site(query, columns, field)
